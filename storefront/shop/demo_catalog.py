"""The demo shop's hand-written data: partners, brands, categories and 44 believable pieces."""

from __future__ import annotations

from dataclasses import dataclass

EU_COUNTRIES = "AT BE BG HR CY CZ DK EE FI FR DE GR HU IE IT LV LT LU MT NL PL PT RO SK SI ES SE"
# Who makes, runs and ships the pieces, as the selling models' settings name them.
MAKERS = (("guangzhou-atelier", "Lumen & Loom workshop, Guangzhou", "CN"),)
# (code, name, country, handling days, returns policy, commission, entrusted brands)
AGENTS = (
    ("ponte-digitale", "Ponte Digitale S.r.l.", "IT", (1, 2),
     "Returns go to Ponte Digitale in Milan within 30 days.", "0.12", ("casa-ornata",)),
)  # fmt: skip
# (code, name, kind, country, lead days)
SUPPLIERS = (
    ("yiwu-brightway-factory", "Yiwu Brightway factory", "oem", "CN", (3, 6)),
    ("siam-silver-dropship", "Siam Silver Works dropship", "dropship", "TH", (2, 5)),
)
# (code, name, country, countries served: "*" is everywhere)
WAREHOUSES = (
    ("shenzhen", "Shenzhen bonded warehouse", "CN", "*"),
    ("rotterdam", "Rotterdam fulfilment centre", "NL", EU_COUNTRIES + " GB CH LI NO"),
)
# Where buyers send returns, as each partner gave it (made up, like everything here).
RETURN_ADDRESSES = {
    "guangzhou-atelier": "Lumen & Loom Returns\nRoom 1208, 88 Huangpu Avenue West\n"
    "Tianhe District, Guangzhou 510630\nChina",
    "ponte-digitale": "Ponte Digitale S.r.l. - Resi\nVia Giuseppe Ripamonti 44\n"
    "20141 Milano MI\nItaly",
    "yiwu-brightway-factory": "Yiwu Brightway Returns Desk\n17 Chouzhou North Road\n"
    "Yiwu, Zhejiang 322000\nChina",
    "siam-silver-dropship": "Siam Silver Works Returns\n221 Charoen Krung Road\n"
    "Bang Rak, Bangkok 10500\nThailand",
    "shenzhen": "Lumen Returns, Shenzhen bonded warehouse\nBlock C, 6 Fuhua Road\n"
    "Futian Free Trade Zone, Shenzhen 518038\nChina",
    "rotterdam": "Lumen Returns, Rotterdam fulfilment centre\nDistripark Eemhaven 12\n"
    "3089 JH Rotterdam\nNetherlands",
}
WHOLESALE = {"handling_min": 1, "handling_max": 2}
# (slug, name, country, SKU prefix, the selling model its pieces usually use, its settings)
BRANDS = (
    ("silverline-shenzhen", "Silverline Shenzhen", "CN", "SLS", "wholesale_retail", WHOLESALE),
    ("lumen-loom-atelier", "Lumen & Loom Atelier", "CN", "LLA", "self_produced",
     {"maker": "guangzhou-atelier", "production_min": 10, "production_max": 21}),
    ("yiwu-brightway", "Yiwu Brightway Accessories", "CN", "YWB", "oem_dropship",
     {"supplier": "yiwu-brightway-factory"}),
    ("casa-ornata", "Casa Ornata", "IT", "CSO", "agent_operated", {"agent": "ponte-digitale"}),
    ("siam-silver-works", "Siam Silver Works", "TH", "SSW", "oem_dropship",
     {"supplier": "siam-silver-dropship"}),
    ("amber-road-jaipur", "Amber Road Jaipur", "IN", "ARJ", "wholesale_retail", WHOLESALE),
)  # fmt: skip
CATEGORIES = (
    ("rings", "Rings"),
    ("necklaces", "Necklaces"),
    ("earrings", "Earrings"),
    ("bracelets", "Bracelets"),
)

# Chapter 71 of the Harmonized System: silver (also gold-plated silver), gold and
# platinum, pearls, and imitation jewellery of base metal.
HS_CODE_BY_MATERIAL = {
    "sterling silver": "7113.11", "gold vermeil": "7113.11", "14k gold": "7113.19",
    "18k gold": "7113.19", "platinum": "7113.19", "pearl": "7116.10",
    "brass": "7117.19", "stainless steel": "7117.19", "titanium": "7117.19",
}  # fmt: skip
QC_NOT_INSPECTED = "not inspected by brand"

Variants = list[tuple[dict[str, str], str]]  # (options, USD price as text)


def one(key: str, price: str, *values: str) -> Variants:
    """One option with the same price for every value, e.g. ring sizes."""
    return [({key: value}, price) for value in values]


def priced(key: str, *pairs: tuple[str, str]) -> Variants:
    """One option whose values cost differently, e.g. chain lengths."""
    return [({key: value}, price) for value, price in pairs]


def sizes(price: str, first: int = 5, last: int = 9) -> Variants:
    return one("size", price, *(str(n) for n in range(first, last + 1)))


@dataclass(frozen=True)
class DemoProduct:
    slug: str
    name: str
    category: str
    brand: str
    material: str
    variants: Variants
    description: str
    grade: str = "none"
    selling_model: str | None = None  # None: the brand's usual model
    origin: str = "CN"
    stone: str | None = None
    weight_grams: int = 5
    size_mm: tuple[int, int, int] = (20, 20, 5)


P = DemoProduct
DEMO_PRODUCTS: tuple[DemoProduct, ...] = (
    # rings -------------------------------------------------------------------
    P("classic-solitaire-ring", "Classic Solitaire Ring", "rings", "silverline-shenzhen",
      "sterling silver", sizes("39.00"),
      "A 925 sterling silver band with one 6 mm cubic zirconia in a four-claw setting, "
      "rhodium plated against tarnish.", stone="zirconia", weight_grams=3, size_mm=(21, 21, 9)),
    P("twisted-rope-band", "Twisted Rope Band", "rings", "silverline-shenzhen",
      "sterling silver", sizes("29.00"),
      "Two strands of sterling silver twisted into a 3 mm rope: stacks well, wears daily.",
      weight_grams=4, size_mm=(21, 21, 3)),
    P("atelier-signet-ring", "Atelier Signet Ring", "rings", "lumen-loom-atelier", "14k gold",
      sizes("620.00", 4, 10),
      "Cast and hand-finished in our Guangzhou workshop; the oval face takes up to three "
      "engraved initials. Made to order in about three weeks.", weight_grams=9,
      size_mm=(22, 14, 20)),
    P("emerald-cut-halo-ring", "Emerald-Cut Halo Ring", "rings", "casa-ornata", "18k gold",
      sizes("1290.00", 5, 8),
      "A lab-grown emerald framed by a halo of small white stones, set in 18k yellow gold in "
      "Vicenza.", origin="IT", stone="emerald", weight_grams=5, size_mm=(21, 14, 10)),
    P("stacking-ring-trio", "Stacking Ring Trio", "rings", "yiwu-brightway", "brass",
      [({"plating": "18k gold", "size": s}, "14.00") for s in ("6", "7", "8")]
      + [({"plating": "silver tone", "size": s}, "12.00") for s in ("6", "7", "8")],
      "Three thin brass bands, one smooth, one beaded, one hammered. Skip-order surplus: made "
      "from the brass left after an export run, without the brand's inspection.",
      grade="skip_order", weight_grams=4, size_mm=(20, 20, 2)),
    P("moonstone-cabochon-ring", "Moonstone Cabochon Ring", "rings", "siam-silver-works",
      "sterling silver", sizes("54.00", 5, 8),
      "A rainbow moonstone cabochon in a hand-pierced bezel, made by silversmiths in Chiang Mai "
      "and shipped from Thailand.", origin="TH", stone="moonstone", weight_grams=6,
      size_mm=(21, 16, 8)),
    P("comfort-fit-platinum-band", "Comfort-Fit Platinum Wedding Band", "rings",
      "lumen-loom-atelier", "platinum",
      [({"finish": f, "size": s}, price) for f, price in (("polished", "980.00"),
       ("brushed", "1040.00")) for s in ("5", "7", "9")],
      "Solid 950 platinum, 3 mm wide, with a rounded inside that slides over the knuckle. "
      "Made to order.",
      weight_grams=7, size_mm=(21, 21, 4)),
    P("brushed-titanium-band", "Brushed Titanium Band", "rings", "yiwu-brightway", "titanium",
      sizes("24.00", 8, 12),
      "A light, nickel-free titanium band with a brushed finish and polished edges.",
      selling_model="wholesale_retail", weight_grams=3, size_mm=(23, 23, 6)),
    P("garnet-cocktail-ring", "Garnet Cocktail Ring", "rings", "silverline-shenzhen",
      "gold vermeil", sizes("48.00", 5, 8),
      "Original-order surplus: made for a Scandinavian label and returned because the stone sat "
      "half a millimetre off centre. Looks and wears as new.", grade="original_order",
      stone="garnet", weight_grams=6, size_mm=(21, 18, 11)),
    P("freshwater-pearl-bypass-ring", "Freshwater Pearl Bypass Ring", "rings",
      "lumen-loom-atelier", "pearl", sizes("68.00", 5, 8),
      "Two 7 mm freshwater pearls on an open gold-vermeil band; each pair matched by hand.",
      stone="pearl", weight_grams=4, size_mm=(22, 18, 9)),
    P("sapphire-eternity-ring", "Sapphire Half-Eternity Ring", "rings", "casa-ornata",
      "14k gold", sizes("420.00", 5, 8),
      "Follow-up order: a re-run of a Casa Ornata design with lab-grown sapphires where the "
      "first run used natural stones; inspected before shipping.", grade="follow_up_order",
      stone="sapphire", weight_grams=3, size_mm=(20, 20, 3)),
    # necklaces ---------------------------------------------------------------
    P("teardrop-pendant-necklace", "Teardrop Pendant Necklace", "necklaces",
      "silverline-shenzhen", "sterling silver",
      priced("length", ("42 cm", "42.00"), ("45 cm", "42.00"), ("50 cm", "45.00")),
      "A pear-cut cubic zirconia in a sterling silver drop on a fine cable chain.",
      stone="zirconia", weight_grams=4, size_mm=(450, 12, 6)),
    P("paperclip-chain-necklace", "Paperclip Chain Necklace", "necklaces", "casa-ornata",
      "18k gold", priced("length", ("42 cm", "1180.00"), ("45 cm", "1260.00")),
      "Elongated 18k gold links, hollow-formed in Arezzo so the chain is light on the neck.",
      origin="IT", weight_grams=6, size_mm=(450, 5, 2)),
    P("freshwater-pearl-strand", "Freshwater Pearl Strand", "necklaces", "lumen-loom-atelier",
      "pearl", priced("size", ("7 mm", "129.00"), ("8 mm", "159.00")),
      "Round freshwater pearls hand-knotted on silk with a gold-vermeil clasp.", stone="pearl",
      weight_grams=28, size_mm=(450, 8, 8)),
    P("sunburst-disc-necklace", "Sunburst Disc Necklace", "necklaces", "yiwu-brightway",
      "stainless steel", one("finish", "16.00", "gold tone", "silver tone"),
      "A 12 mm stainless steel disc stamped with a sunburst; shipped by the factory in Yiwu.",
      weight_grams=3, size_mm=(450, 12, 1)),
    P("herringbone-collar", "Herringbone Collar Necklace", "necklaces", "yiwu-brightway",
      "brass", one("plating", "19.00", "18k gold", "silver tone"),
      "A flat, liquid-looking herringbone chain. Skip-order surplus from a fashion-brand run, "
      "not inspected by the brand.", grade="skip_order", weight_grams=12, size_mm=(420, 5, 1)),
    P("lotus-pendant", "Lotus Pendant", "necklaces", "siam-silver-works", "sterling silver",
      one("length", "58.00", "45 cm", "50 cm"),
      "An oxidised sterling silver lotus, chased by hand in Chiang Mai.", origin="TH",
      weight_grams=7, size_mm=(450, 22, 4)),
    P("birthstone-bar-necklace", "Birthstone Bar Necklace", "necklaces", "lumen-loom-atelier",
      "gold vermeil", one("stone", "74.00", "garnet", "amethyst", "aquamarine", "sapphire"),
      "A slim vermeil bar set with your birthstone; assembled to order in our atelier.",
      stone="amethyst", weight_grams=4, size_mm=(450, 25, 3)),
    P("kundan-choker", "Kundan Choker", "necklaces", "amber-road-jaipur", "gold vermeil",
      one("colour", "189.00", "emerald green", "ruby red"),
      "Glass stones set in gilded silver the Kundan way, by a family workshop in Jaipur.",
      origin="IN", stone="emerald", weight_grams=38, size_mm=(380, 30, 5)),
    P("layered-satellite-chain", "Layered Satellite Chain", "necklaces", "silverline-shenzhen",
      "gold vermeil", one("length", "36.00", "40 cm", "45 cm"),
      "Follow-up order: the second run used a slightly finer bead, inspected before packing.",
      grade="follow_up_order", weight_grams=3, size_mm=(450, 2, 2)),
    P("baroque-pearl-pendant", "Baroque Pearl Pendant", "necklaces", "casa-ornata", "pearl",
      one("length", "245.00", "42 cm", "45 cm"),
      "One large baroque pearl, no two alike, on an 18k gold-plated silver chain.", origin="IT",
      stone="pearl", weight_grams=8, size_mm=(450, 18, 14)),
    P("cuban-link-chain", "Cuban Link Chain", "necklaces", "silverline-shenzhen",
      "sterling silver", priced("length", ("45 cm", "79.00"), ("50 cm", "89.00")),
      "Original-order surplus: 5 mm links from a European brand's late delivery, perfectly "
      "made.",
      grade="original_order", weight_grams=32, size_mm=(500, 7, 3)),
    # earrings ----------------------------------------------------------------
    P("huggie-hoops", "Huggie Hoops", "earrings", "silverline-shenzhen", "sterling silver",
      priced("plating", ("rhodium", "32.00"), ("18k gold", "36.00")),
      "Small, thick hoops that hug the lobe, with a hinged click closure.", weight_grams=3,
      size_mm=(12, 12, 3)),
    P("pearl-stud-earrings", "Pearl Stud Earrings", "earrings", "lumen-loom-atelier", "pearl",
      priced("size", ("6 mm", "45.00"), ("8 mm", "65.00")),
      "Button freshwater pearls on gold-vermeil posts, matched as pairs in our atelier.",
      stone="pearl", weight_grams=2, size_mm=(8, 8, 12)),
    P("chandbali-earrings", "Chandbali Earrings", "earrings", "amber-road-jaipur",
      "gold vermeil", one("stone", "96.00", "garnet", "emerald green"),
      "Crescent earrings from Jaipur, gilded silver with red glass and seed-pearl fringe.",
      origin="IN", stone="garnet", weight_grams=14, size_mm=(55, 35, 4)),
    P("geometric-drop-earrings", "Geometric Drop Earrings", "earrings", "yiwu-brightway",
      "brass", one("plating", "11.00", "18k gold", "rose gold"),
      "Open hexagon drops. Skip-order surplus, without the brand's quality inspection.",
      grade="skip_order", weight_grams=5, size_mm=(40, 20, 1)),
    P("lab-diamond-studs", "Lab Diamond Studs", "earrings", "casa-ornata", "14k gold",
      priced("size", ("0.25 ct", "540.00"), ("0.5 ct", "980.00")),
      "Lab-grown diamonds, IGI graded, in four-claw 14k white-gold baskets.", origin="IT",
      stone="diamond", weight_grams=2, size_mm=(6, 6, 12)),
    P("sapphire-drop-earrings", "Sapphire Drop Earrings", "earrings", "siam-silver-works",
      "sterling silver", one("plating", "69.00", "rhodium"),
      "Follow-up order with created sapphires where the first run used natural ones; inspected.",
      grade="follow_up_order", origin="TH", stone="sapphire", weight_grams=4,
      size_mm=(28, 9, 6)),
    P("star-ear-climber", "Star Ear Climber", "earrings", "yiwu-brightway", "stainless steel",
      one("plating", "9.50", "gold tone", "silver tone"),
      "A climber of five tiny stars that follows the ear's curve; hypoallergenic steel.",
      weight_grams=2, size_mm=(22, 6, 2)),
    P("hammered-gold-hoops", "Hammered Gold Hoops", "earrings", "lumen-loom-atelier",
      "14k gold", priced("size", ("20 mm", "320.00"), ("30 mm", "410.00")),
      "Hand-hammered 14k gold hoops; each hammer mark catches the light differently.",
      weight_grams=3, size_mm=(30, 30, 2)),
    P("turquoise-studs", "Turquoise Studs", "earrings", "siam-silver-works", "sterling silver",
      one("finish", "34.00", "oxidised"),
      "Stabilised turquoise in a rope-edged silver bezel.", origin="TH", stone="turquoise",
      weight_grams=2, size_mm=(8, 8, 12)),
    P("threader-earrings", "Threader Earrings", "earrings", "silverline-shenzhen",
      "gold vermeil", one("length", "28.00", "8 cm"),
      "Original-order surplus: returned for a clasp-tension miss, since corrected.",
      grade="original_order", weight_grams=1, size_mm=(80, 2, 2)),
    P("titanium-cz-studs", "Titanium CZ Studs", "earrings", "yiwu-brightway", "titanium",
      one("size", "14.00", "3 mm", "4 mm", "5 mm"),
      "Implant-grade titanium posts for sensitive ears, with a bright cubic zirconia.",
      selling_model="wholesale_retail", stone="zirconia", weight_grams=1, size_mm=(5, 5, 10)),
    # bracelets ---------------------------------------------------------------
    P("tennis-bracelet", "Tennis Bracelet", "bracelets", "silverline-shenzhen",
      "sterling silver", priced("length", ("16 cm", "89.00"), ("18 cm", "95.00")),
      "A line of 3 mm cubic zirconia in sterling silver with a double safety clasp.",
      stone="zirconia", weight_grams=11, size_mm=(180, 3, 4)),
    P("hill-tribe-cuff", "Hill Tribe Cuff", "bracelets", "siam-silver-works",
      "sterling silver", one("size", "72.00", "S/M", "M/L"),
      "A fine-silver-rich cuff stamped with Karen hill-tribe patterns.", origin="TH",
      weight_grams=24, size_mm=(160, 12, 2)),
    P("figaro-chain-bracelet", "Figaro Chain Bracelet", "bracelets", "casa-ornata", "18k gold",
      one("length", "690.00", "18 cm", "19 cm"),
      "The Italian classic: three short links and one long, in 18k yellow gold.", origin="IT",
      weight_grams=5, size_mm=(190, 4, 1)),
    P("freshwater-pearl-bracelet", "Freshwater Pearl Bracelet", "bracelets",
      "lumen-loom-atelier", "pearl", one("length", "79.00", "16 cm", "18 cm"),
      "Rice pearls hand-knotted on silk with a vermeil toggle.", stone="pearl", weight_grams=10,
      size_mm=(180, 6, 6)),
    P("lucky-charm-bracelet", "Lucky Charm Bracelet", "bracelets", "yiwu-brightway", "brass",
      one("plating", "13.00", "18k gold", "silver tone"),
      "Clover, horseshoe and star charms. Skip-order surplus, not inspected by the brand.",
      grade="skip_order", weight_grams=9, size_mm=(190, 12, 3)),
    P("evil-eye-chain-bracelet", "Evil Eye Chain Bracelet", "bracelets", "yiwu-brightway",
      "stainless steel", one("plating", "12.00", "gold tone", "silver tone"),
      "A blue enamel eye on a fine steel chain, adjustable from 15 to 19 cm.", stone="sapphire",
      weight_grams=3, size_mm=(190, 8, 2)),
    P("engraved-bar-cuff", "Engraved Bar Cuff", "bracelets", "lumen-loom-atelier",
      "gold vermeil", one("size", "58.00", "S/M", "M/L"),
      "A slim open cuff, engraved by hand with up to 20 characters. Made to order.",
      weight_grams=8, size_mm=(150, 4, 1)),
    P("beaded-ball-chain-bracelet", "Beaded Ball Chain Bracelet", "bracelets",
      "silverline-shenzhen", "sterling silver", one("length", "24.00", "17 cm", "19 cm"),
      "Follow-up order: the re-run uses a 2.5 mm bead where the first had 3 mm; inspected.",
      grade="follow_up_order", weight_grams=4, size_mm=(190, 3, 3)),
    P("kada-bangle", "Kada Bangle", "bracelets", "amber-road-jaipur", "sterling silver",
      one("size", "64.00", "2.4", "2.6", "2.8"),
      "A solid round Kada in sterling silver, hammered by hand in Jaipur.", origin="IN",
      weight_grams=30, size_mm=(65, 65, 5)),
    P("platinum-link-bracelet", "Platinum Link Bracelet", "bracelets", "casa-ornata",
      "platinum", one("length", "2150.00", "18 cm"),
      "Original-order surplus from a jeweller's anniversary run, returned for late delivery.",
      grade="original_order", origin="IT", weight_grams=18, size_mm=(180, 6, 3)),
    P("amethyst-station-bracelet", "Amethyst Station Bracelet", "bracelets",
      "siam-silver-works", "sterling silver", one("length", "46.00", "17 cm", "19 cm"),
      "Original-order surplus: bezel-set amethysts on a fine silver chain, set aside after a "
      "minor polishing miss.", grade="original_order", origin="TH", stone="amethyst",
      weight_grams=4, size_mm=(190, 5, 4)),
)  # fmt: skip
