"""The demo shop's texts in its other six languages: pieces, categories, brands, shipping.

English lives beside the data it names (demo_catalog.py, demo.py); these are the
translations the seed stores per locale. Surplus grades use the same words as the
shop's catalogs (i18n/), so a piece's description and its grade badge agree.
"""

from __future__ import annotations

# fmt: off
# slug -> locale -> (name, description)
PRODUCT_TEXTS: dict[str, dict[str, tuple[str, str]]] = {
    "classic-solitaire-ring": {
        "de": ("Klassischer Solitärring",
               "Ring aus 925er Sterlingsilber mit einem 6-mm-Zirkonia in Vierkrappenfassung, "
               "rhodiniert gegen Anlaufen."),
        "fr": ("Bague solitaire classique",
               "Anneau en argent sterling 925 serti à quatre griffes d’un oxyde de zirconium de "
               "6 mm, rhodié contre le ternissement."),
        "es": ("Anillo solitario clásico",
               "Aro de plata de ley 925 con una circonita cúbica de 6 mm en engaste de cuatro "
               "garras, con baño de rodio para que no se oscurezca."),
        "ja": ("クラシック・ソリテールリング",
               "6 mmのキュービックジルコニアを4本爪で留めた925スターリングシルバーのリング。"
               "変色を防ぐロジウムメッキ仕上げです。"),
        "zh_Hans": ("经典单石戒指",
                    "925纯银戒圈，以四爪镶嵌一颗6 mm立方氧化锆，表面镀铑，防止氧化变色。"),
        "ar": ("خاتم سوليتير كلاسيكي",
               "خاتم من الفضة الإسترلينية 925 تزيّنه زركونيا مكعبة واحدة قياس 6 مم في ترصيع "
               "بأربعة مخالب، مطليّ بالروديوم ليقاوم الاسوداد."),
    },
    "twisted-rope-band": {
        "de": ("Gedrehter Kordelring",
               "Zwei Stränge Sterlingsilber, zu einer 3 mm breiten Kordel gedreht: ideal zum "
               "Stapeln und für jeden Tag."),
        "fr": ("Anneau torsadé",
               "Deux brins d’argent sterling torsadés en un jonc de 3 mm : parfait à superposer, "
               "à porter tous les jours."),
        "es": ("Anillo de cordón trenzado",
               "Dos hilos de plata de ley trenzados en un cordón de 3 mm: ideal para combinar "
               "con otros anillos y llevar a diario."),
        "ja": ("ツイストロープリング",
               "2本のスターリングシルバーをねじり合わせた幅3 mmのロープデザイン。"
               "重ね付けしやすく、毎日使いにぴったりです。"),
        "zh_Hans": ("麻花绳纹戒指",
                    "两股纯银丝拧成3 mm宽的绳纹戒圈，适合叠戴，也适合日常佩戴。"),
        "ar": ("خاتم مجدول على شكل حبل",
               "خيطان من الفضة الإسترلينية مجدولان في حبل بعرض 3 مم: مثالي للتنسيق مع خواتم أخرى "
               "وللارتداء اليومي."),
    },
    "atelier-signet-ring": {
        "de": ("Siegelring aus dem Atelier",
               "In unserer Werkstatt in Guangzhou gegossen und von Hand vollendet; die ovale "
               "Platte trägt bis zu drei gravierte Initialen. Auf Bestellung in etwa drei Wochen "
               "gefertigt."),
        "fr": ("Chevalière de l’atelier",
               "Coulée et finie à la main dans notre atelier de Canton ; le plateau ovale "
               "accueille jusqu’à trois initiales gravées. Fabriquée sur commande en trois "
               "semaines environ."),
        "es": ("Anillo sello del taller",
               "Fundido y acabado a mano en nuestro taller de Cantón; la cara ovalada admite "
               "hasta tres iniciales grabadas. Se fabrica por encargo en unas tres semanas."),
        "ja": ("アトリエ・シグネットリング",
               "広州の自社工房で鋳造し、手作業で仕上げています。"
               "楕円形の印台には最大3文字のイニシャルを刻印できます。受注生産で、"
               "製作期間は約3週間です。"),
        "zh_Hans": ("工坊印章戒指",
                    "在我们的广州工坊铸造并手工精修；椭圆形戒面最多可刻三个姓名首字母。接单定制，"
                    "约三周完成。"),
        "ar": ("خاتم ختم من المشغل",
               "يُصبّ ويُشطَّب يدويًا في مشغلنا في غوانغتشو، ويتّسع وجهه البيضاوي لما يصل إلى ثلاثة "
               "أحرف أولى محفورة. يُصنع حسب الطلب في نحو ثلاثة أسابيع."),
    },
    "emerald-cut-halo-ring": {
        "de": ("Halo-Ring mit Smaragdschliff",
               "Ein im Labor gezüchteter Smaragd im Kranz kleiner weißer Steine, gefasst in 18 "
               "Karat Gelbgold in Vicenza."),
        "fr": ("Bague halo taille émeraude",
               "Une émeraude de synthèse entourée d’un halo de petites pierres blanches, sertie "
               "en or jaune 18 carats à Vicence."),
        "es": ("Anillo halo talla esmeralda",
               "Una esmeralda creada en laboratorio rodeada de un halo de pequeñas piedras "
               "blancas, engastada en oro amarillo de 18 quilates en Vicenza."),
        "ja": ("エメラルドカット・ヘイローリング",
               "ラボグロウン・エメラルドの周りを小さな白い石で縁取り、"
               "ヴィチェンツァで18Kイエローゴールドにセッティングしました。"),
        "zh_Hans": ("祖母绿切工光环戒指",
                    "一颗实验室培育祖母绿，四周环绕一圈白色小石，在维琴察镶嵌于18K黄金戒托上。"),
        "ar": ("خاتم هالة بقطع الزمرد",
               "زمردة مستزرعة في المختبر تحيط بها هالة من أحجار بيضاء صغيرة، مرصّعة في ذهب أصفر "
               "عيار 18 في فيتشنزا."),
    },
    "stacking-ring-trio": {
        "de": ("Stapelring-Trio",
               "Drei schmale Messingringe: einer glatt, einer geperlt, einer gehämmert. "
               "Überschussware aus Restmaterial: aus dem Messing gefertigt, das nach einer "
               "Exportproduktion übrig blieb, ohne Prüfung durch die Marke."),
        "fr": ("Trio de bagues empilables",
               "Trois fins anneaux en laiton : un lisse, un perlé, un martelé. Surplus de "
               "matières restantes : fabriqués avec le laiton resté après une production pour "
               "l’export, sans contrôle de la marque."),
        "es": ("Trío de anillos apilables",
               "Tres finos aros de latón: uno liso, uno de bolitas y uno martillado. Excedente "
               "de material sobrante: hechos con el latón que quedó tras una producción para "
               "exportación, sin la inspección de la marca."),
        "ja": ("重ね付けリング3本セット",
               "細身の真鍮リング3本（プレーン、ビーズ、槌目）のセット。輸出余剰品（残材生産品）："
               "輸出向け生産の後に残った真鍮で作られたもので、ブランドの検品は受けていません。"),
        "zh_Hans": ("叠戴戒指三件套",
                    "三枚细黄铜戒指：一枚光面、一枚珠纹、一枚锤纹。外贸尾货（跳单）："
                    "用外贸订单生产后剩余的黄铜制成，未经品牌质检。"),
        "ar": ("طقم من ثلاثة خواتم للتنسيق",
               "ثلاثة خواتم رفيعة من النحاس الأصفر: واحد أملس، وواحد مزيّن بالحبيبات، وواحد "
               "مطروق. فائض تصدير من المواد المتبقية: صُنعت من النحاس الأصفر الذي تبقّى بعد دفعة "
               "إنتاج للتصدير، دون فحص العلامة التجارية."),
    },
    "moonstone-cabochon-ring": {
        "de": ("Mondstein-Cabochonring",
               "Ein Regenbogen-Mondstein als Cabochon in einer von Hand durchbrochenen Zarge, "
               "von Silberschmieden in Chiang Mai gefertigt und aus Thailand versandt."),
        "fr": ("Bague cabochon pierre de lune",
               "Une pierre de lune arc-en-ciel taillée en cabochon dans un chaton ajouré à la "
               "main, façonnée par des orfèvres de Chiang Mai et expédiée de Thaïlande."),
        "es": ("Anillo cabujón de piedra luna",
               "Un cabujón de piedra luna arcoíris en un bisel calado a mano, hecho por plateros "
               "de Chiang Mai y enviado desde Tailandia."),
        "ja": ("ムーンストーン・カボションリング",
               "レインボームーンストーンのカボションを、"
               "手作業で透かし彫りしたベゼルに留めました。チェンマイの銀細工職人が制作し、"
               "タイから発送します。"),
        "zh_Hans": ("月光石蛋面戒指",
                    "一颗彩虹月光石蛋面，镶于手工镂空的包边托中，由清迈银匠制作，从泰国发货。"),
        "ar": ("خاتم كابوشون من حجر القمر",
               "حجر قمر قزحي مصقول على هيئة كابوشون في إطار مخرّم يدويًا، من صنع صاغة الفضة في "
               "شيانغ ماي ويُشحن من تايلاند."),
    },
    "comfort-fit-platinum-band": {
        "de": ("Platin-Ehering mit Komfortprofil",
               "Massives 950er Platin, 3 mm breit, mit gewölbter Innenseite, die leicht über das "
               "Fingergelenk gleitet. Auf Bestellung gefertigt."),
        "fr": ("Alliance confort en platine",
               "Platine 950 massif, 3 mm de large, à l’intérieur bombé qui glisse facilement sur "
               "l’articulation du doigt. Fabriquée sur commande."),
        "es": ("Alianza de platino de ajuste cómodo",
               "Platino 950 macizo, de 3 mm de ancho, con el interior redondeado para que pase "
               "fácilmente por el nudillo. Fabricada por encargo."),
        "ja": ("コンフォートフィット・プラチナ結婚指輪",
               "幅3 mmの950プラチナ無垢。内側を丸く仕上げているので、指の関節をすっと通ります。"
               "受注生産です。"),
        "zh_Hans": ("舒适款铂金婚戒",
                    "实心950铂金，宽3 mm，内圈呈圆弧形，佩戴时可顺滑越过指关节。接单定制。"),
        "ar": ("دبلة زفاف بلاتينية مريحة",
               "بلاتين 950 مصمت بعرض 3 مم، بباطن مقوّس ينزلق بسهولة فوق مفصل الإصبع. تُصنع حسب "
               "الطلب."),
    },
    "brushed-titanium-band": {
        "de": ("Gebürsteter Titanring",
               "Leichter, nickelfreier Titanring mit gebürsteter Oberfläche und polierten Kanten."),
        "fr": ("Anneau en titane brossé",
               "Anneau léger en titane sans nickel, au fini brossé et aux bords polis."),
        "es": ("Anillo de titanio cepillado",
               "Un aro ligero de titanio sin níquel, con acabado cepillado y cantos pulidos."),
        "ja": ("ブラッシュド・チタンリング",
               "軽くてニッケルフリーのチタンリング。表面はヘアライン仕上げ、縁は鏡面仕上げです。"),
        "zh_Hans": ("拉丝钛金属戒指",
                    "轻盈无镍的钛金属戒指，拉丝表面，抛光边缘。"),
        "ar": ("خاتم تيتانيوم بلمسة مصقولة بالفرشاة",
               "خاتم خفيف من التيتانيوم الخالي من النيكل، بسطح مصقول بالفرشاة وحواف لامعة."),
    },
    "garnet-cocktail-ring": {
        "de": ("Granat-Cocktailring",
               "Überschussware aus einem Originalauftrag: für ein skandinavisches Label "
               "gefertigt und zurückgegeben, weil der Stein einen halben Millimeter außermittig "
               "sitzt. Sieht aus und trägt sich wie neu."),
        "fr": ("Bague cocktail grenat",
               "Surplus d’une commande d’origine : fabriquée pour une marque scandinave et "
               "renvoyée parce que la pierre est décentrée d’un demi-millimètre. Aspect et "
               "confort d’une bague neuve."),
        "es": ("Anillo cóctel de granate",
               "Excedente de pedido original: fabricado para una marca escandinava y devuelto "
               "porque la piedra quedó medio milímetro descentrada. Se ve y se lleva como nuevo."),
        "ja": ("ガーネット・カクテルリング",
               "輸出余剰品（オリジナルオーダー品）：北欧ブランド向けに製作されたものの、"
               "石が中心から0.5 mmずれていたため返品されました。見た目も着け心地も新品同様です。"),
        "zh_Hans": ("石榴石鸡尾酒戒指",
                    "外贸尾货（原单）：为一个斯堪的纳维亚品牌生产，因宝石偏离中心半毫米而被退回。"
                    "外观和佩戴感受与新品无异。"),
        "ar": ("خاتم كوكتيل بحجر الغارنيت",
               "فائض تصدير من الطلبية الأصلية: صُنع لعلامة تجارية إسكندنافية وأُعيد لأن الحجر "
               "انحرف عن المركز نصف مليمتر. يبدو ويُلبس كأنه جديد."),
    },
    "freshwater-pearl-bypass-ring": {
        "de": ("Süßwasserperlen-Bypassring",
               "Zwei 7-mm-Süßwasserperlen auf einem offenen Ring aus Gold-Vermeil; jedes Paar "
               "von Hand zusammengestellt."),
        "fr": ("Bague croisée perles d’eau douce",
               "Deux perles d’eau douce de 7 mm sur un anneau ouvert en vermeil ; chaque paire "
               "est appariée à la main."),
        "es": ("Anillo abierto con perlas de agua dulce",
               "Dos perlas de agua dulce de 7 mm sobre un aro abierto de vermeil de oro; cada "
               "pareja se elige a mano."),
        "ja": ("淡水パール・バイパスリング",
               "7 mmの淡水パール2粒を、ゴールドヴェルメイユのオープンリングにあしらいました。"
               "パールはひと組ずつ手作業で選び合わせています。"),
        "zh_Hans": ("淡水珍珠开口戒指",
                    "两颗7 mm淡水珍珠点缀于925银镀金开口戒圈上；每一对珍珠均经手工挑选配对。"),
        "ar": ("خاتم مفتوح بلؤلؤ المياه العذبة",
               "لؤلؤتان من المياه العذبة قياس 7 مم على خاتم مفتوح من الفيرماي الذهبي، وكل زوج "
               "منتقى يدويًا."),
    },
    "sapphire-eternity-ring": {
        "de": ("Saphir-Halbmemoirering",
               "Nachproduktion: eine Neuauflage eines Casa-Ornata-Entwurfs mit im Labor "
               "gezüchteten Saphiren, wo die erste Serie natürliche Steine hatte; vor dem "
               "Versand geprüft."),
        "fr": ("Demi-alliance saphirs",
               "Production complémentaire : une réédition d’un modèle Casa Ornata avec des "
               "saphirs de synthèse, là où la première série portait des pierres naturelles ; "
               "contrôlée avant expédition."),
        "es": ("Media alianza de zafiros",
               "Producción adicional: una reedición de un diseño de Casa Ornata con zafiros "
               "creados en laboratorio, donde la primera tirada llevaba piedras naturales; "
               "revisada antes del envío."),
        "ja": ("サファイア・ハーフエタニティリング",
               "追加生産品：カーサ・オルナータのデザインの再生産品で、"
               "初回生産の天然石に代えてラボグロウン・サファイアを使用しています。"
               "出荷前に検品済みです。"),
        "zh_Hans": ("蓝宝石半永恒戒指",
                    "跟单：卡萨·奥尔纳塔一款设计的再生产，首批使用天然宝石，"
                    "此批改用实验室培育蓝宝石；发货前已质检。"),
        "ar": ("خاتم نصف أبدية بالياقوت الأزرق",
               "إنتاج لاحق: إعادة إنتاج لتصميم من كازا أورناتا بأحجار ياقوت أزرق مستزرعة في "
               "المختبر، بعدما استخدمت الدفعة الأولى أحجارًا طبيعية؛ فُحص قبل الشحن."),
    },
    "teardrop-pendant-necklace": {
        "de": ("Tropfenanhänger-Kette",
               "Ein Zirkonia im Tropfenschliff in einer Fassung aus Sterlingsilber an einer "
               "feinen Ankerkette."),
        "fr": ("Collier pendentif goutte",
               "Un oxyde de zirconium taille poire dans une goutte d’argent sterling, sur une "
               "fine chaîne forçat."),
        "es": ("Collar con colgante de lágrima",
               "Una circonita cúbica talla pera en una lágrima de plata de ley, sobre una fina "
               "cadena forzada."),
        "ja": ("ティアドロップ・ペンダントネックレス",
               "ペアシェイプカットのキュービックジルコニアをスターリングシルバー"
               "のしずく形に留め、繊細なあずきチェーンに通しました。"),
        "zh_Hans": ("水滴吊坠项链",
                    "一颗梨形切割立方氧化锆镶于纯银水滴吊坠中，搭配纤细的O字链。"),
        "ar": ("قلادة بدلاية على شكل دمعة",
               "زركونيا مكعبة بقطع الكمثرى في دلاية من الفضة الإسترلينية على شكل دمعة، معلّقة "
               "بسلسلة رفيعة."),
    },
    "paperclip-chain-necklace": {
        "de": ("Paperclip-Kette",
               "Langgezogene Glieder aus 18 Karat Gold, in Arezzo hohl geformt, damit die Kette "
               "leicht am Hals liegt."),
        "fr": ("Collier chaîne trombone",
               "Des maillons allongés en or 18 carats, formés creux à Arezzo pour que la chaîne "
               "reste légère au cou."),
        "es": ("Collar de cadena clip",
               "Eslabones alargados de oro de 18 quilates, huecos y formados en Arezzo para que "
               "la cadena sea ligera en el cuello."),
        "ja": ("ペーパークリップチェーン・ネックレス",
               "細長い18Kゴールドのリンクを、アレッツォで中空に成形。"
               "首元に軽やかになじむチェーンです。"),
        "zh_Hans": ("回形针链项链",
                    "加长的18K金链节在阿雷佐以空心工艺制成，佩戴在颈间轻盈无负担。"),
        "ar": ("قلادة بسلسلة مشبك الورق",
               "حلقات مستطيلة من ذهب عيار 18 مشكّلة مجوّفة في أريتسو، لتبقى السلسلة خفيفة على "
               "العنق."),
    },
    "freshwater-pearl-strand": {
        "de": ("Süßwasserperlenkette",
               "Runde Süßwasserperlen, von Hand auf Seide geknotet, mit einem Verschluss aus "
               "Gold-Vermeil."),
        "fr": ("Rang de perles d’eau douce",
               "Perles d’eau douce rondes nouées à la main sur soie, avec un fermoir en vermeil."),
        "es": ("Collar de perlas de agua dulce",
               "Perlas redondas de agua dulce anudadas a mano sobre seda, con cierre de vermeil "
               "de oro."),
        "ja": ("淡水パール・ネックレス",
               "ラウンド形の淡水パールをシルクに一粒ずつ手で結び、"
               "ゴールドヴェルメイユの留め金を合わせました。"),
        "zh_Hans": ("淡水珍珠项链",
                    "圆形淡水珍珠以真丝线手工逐颗打结串成，配925银镀金扣头。"),
        "ar": ("عقد من لؤلؤ المياه العذبة",
               "حبات مستديرة من لؤلؤ المياه العذبة معقودة يدويًا على خيط من الحرير، بمشبك من "
               "الفيرماي الذهبي."),
    },
    "sunburst-disc-necklace": {
        "de": ("Kette mit Sonnenstrahl-Plättchen",
               "Ein 12-mm-Plättchen aus Edelstahl mit eingeprägtem Sonnenstrahlmuster; direkt "
               "von der Fabrik in Yiwu versandt."),
        "fr": ("Collier médaille soleil",
               "Une médaille de 12 mm en acier inoxydable frappée d’un soleil rayonnant ; "
               "expédiée par l’usine de Yiwu."),
        "es": ("Collar con disco de sol",
               "Un disco de acero inoxidable de 12 mm estampado con un sol radiante; lo envía la "
               "fábrica de Yiwu."),
        "ja": ("サンバースト・ディスクネックレス",
               "太陽の光をかたどった模様を打ち出した12 mmのステンレススチール製ディスク。"
               "義烏の工場から直接発送します。"),
        "zh_Hans": ("太阳光芒圆片项链",
                    "12 mm不锈钢圆片，压印太阳光芒纹样；由义乌工厂直接发货。"),
        "ar": ("قلادة بقرص أشعة الشمس",
               "قرص من الفولاذ المقاوم للصدأ قياس 12 مم منقوش بأشعة الشمس، يُشحن من المصنع في "
               "ييوو."),
    },
    "herringbone-collar": {
        "de": ("Collier mit Fischgrätkette",
               "Eine flache Fischgrätkette, die wie flüssiges Metall fällt. Überschussware aus "
               "Restmaterial aus der Produktion für eine Modemarke, nicht von der Marke geprüft."),
        "fr": ("Collier ras-de-cou maille chevron",
               "Une chaîne plate à chevrons, fluide comme du métal liquide. Surplus de matières "
               "restantes d’une production pour une marque de mode, non contrôlé par la marque."),
        "es": ("Gargantilla de cadena espiga",
               "Una cadena espiga plana que cae como metal líquido. Excedente de material "
               "sobrante de una producción para una marca de moda, sin inspección de la marca."),
        "ja": ("ヘリンボーン・チョーカーネックレス",
               "平たく、流れるような光沢のヘリンボーンチェーン。輸出余剰品（残材生産品）："
               "ファッションブランド向け生産の残材から作られたもので、"
               "ブランドの検品は受けていません。"),
        "zh_Hans": ("人字纹锁骨链",
                    "扁平的人字纹链，光泽如液态般流动。外贸尾货（跳单）："
                    "来自某时尚品牌订单的剩余材料，未经品牌质检。"),
        "ar": ("قلادة قصيرة بسلسلة عظم السمكة",
               "سلسلة مسطّحة بنقشة عظم السمكة تنساب كالمعدن السائل. فائض تصدير من المواد المتبقية "
               "من دفعة إنتاج لعلامة أزياء، لم تفحصه العلامة التجارية."),
    },
    "lotus-pendant": {
        "de": ("Lotus-Anhänger",
               "Ein Lotus aus oxidiertem Sterlingsilber, von Hand ziseliert in Chiang Mai."),
        "fr": ("Pendentif lotus",
               "Un lotus en argent sterling oxydé, ciselé à la main à Chiang Mai."),
        "es": ("Colgante de loto",
               "Una flor de loto de plata de ley oxidada, cincelada a mano en Chiang Mai."),
        "ja": ("ロータス・ペンダント",
               "いぶし加工を施したスターリングシルバーの蓮の花。"
               "チェンマイで手作業により彫金されています。"),
        "zh_Hans": ("莲花吊坠",
                    "做旧氧化处理的纯银莲花，在清迈手工錾刻而成。"),
        "ar": ("دلاية زهرة اللوتس",
               "زهرة لوتس من الفضة الإسترلينية المؤكسدة، منقوشة يدويًا في شيانغ ماي."),
    },
    "birthstone-bar-necklace": {
        "de": ("Stäbchenkette mit Geburtsstein",
               "Ein schmales Stäbchen aus Vermeil mit Ihrem Geburtsstein; in unserem Atelier auf "
               "Bestellung montiert."),
        "fr": ("Collier barrette pierre de naissance",
               "Une fine barrette en vermeil sertie de votre pierre de naissance ; assemblée sur "
               "commande dans notre atelier."),
        "es": ("Collar de barra con piedra natal",
               "Una fina barra de vermeil engastada con tu piedra natal; montada por encargo en "
               "nuestro taller."),
        "ja": ("バースストーン・バーネックレス",
               "細身のヴェルメイユのバーに、あなたの誕生石をセッティング。"
               "アトリエで受注後に組み立てます。"),
        "zh_Hans": ("生日石一字项链",
                    "纤细的银镀金一字吊坠，镶嵌您的生日石；在我们的工坊接单后组装。"),
        "ar": ("قلادة بقضيب وحجر الميلاد",
               "قضيب رفيع من الفيرماي مرصّع بحجر ميلادك، يُجمَّع حسب الطلب في مشغلنا."),
    },
    "kundan-choker": {
        "de": ("Kundan-Choker",
               "Glassteine nach Kundan-Art in vergoldetes Silber gefasst, von einer "
               "Familienwerkstatt in Jaipur."),
        "fr": ("Ras-de-cou kundan",
               "Des pierres de verre serties dans de l’argent doré selon la technique kundan, "
               "par un atelier familial de Jaipur."),
        "es": ("Gargantilla kundan",
               "Piedras de vidrio engastadas en plata dorada al estilo kundan por un taller "
               "familiar de Jaipur."),
        "ja": ("クンダン・チョーカー",
               "ガラスの石を金メッキのシルバーにクンダン技法でセッティング。"
               "ジャイプールの家族経営の工房によるものです。"),
        "zh_Hans": ("昆丹项圈",
                    "以昆丹传统工艺将玻璃石镶嵌于镀金银中，出自斋浦尔一家家庭作坊。"),
        "ar": ("قلادة كوندان قصيرة",
               "أحجار زجاجية مرصّعة في فضة مذهّبة على طريقة الكوندان، من صنع ورشة عائلية في جايبور."),
    },
    "layered-satellite-chain": {
        "de": ("Satellitenkette für den Lagenlook",
               "Nachproduktion: In der zweiten Serie wurde eine etwas feinere Perle verwendet; "
               "vor dem Verpacken geprüft."),
        "fr": ("Chaîne satellite à superposer",
               "Production complémentaire : la deuxième série utilise une perle légèrement plus "
               "fine ; contrôlée avant emballage."),
        "es": ("Cadena satélite para superponer",
               "Producción adicional: la segunda tirada usó una bolita algo más fina; revisada "
               "antes de empaquetar."),
        "ja": ("レイヤード・サテライトチェーン",
               "追加生産品：2回目の生産ではやや細いビーズを使用しています。梱包前に検品済みです。"),
        "zh_Hans": ("叠戴卫星链",
                    "跟单：第二批生产采用了稍细一些的珠子，包装前已质检。"),
        "ar": ("سلسلة ساتلايت للتنسيق بالطبقات",
               "إنتاج لاحق: استُخدمت في الدفعة الثانية خرزة أرفع قليلًا، وفُحصت قبل التغليف."),
    },
    "baroque-pearl-pendant": {
        "de": ("Anhänger mit Barockperle",
               "Eine große Barockperle, keine gleicht der anderen, an einer mit 18 Karat Gold "
               "plattierten Silberkette."),
        "fr": ("Pendentif perle baroque",
               "Une grosse perle baroque, chacune unique, sur une chaîne en argent plaqué or 18 "
               "carats."),
        "es": ("Colgante de perla barroca",
               "Una gran perla barroca, cada una distinta, en una cadena de plata con baño de "
               "oro de 18 quilates."),
        "ja": ("バロックパール・ペンダント",
               "ひとつとして同じ形のない大粒のバロックパールを、"
               "18Kゴールドメッキのシルバーチェーンに合わせました。"),
        "zh_Hans": ("巴洛克珍珠吊坠",
                    "一颗大颗巴洛克珍珠，每颗形态各不相同，搭配镀18K金的银链。"),
        "ar": ("دلاية لؤلؤة باروكية",
               "لؤلؤة باروكية كبيرة لا تشبه الواحدة منها الأخرى، على سلسلة من الفضة المطلية بذهب "
               "عيار 18."),
    },
    "cuban-link-chain": {
        "de": ("Panzerkette (Cuban Link)",
               "Überschussware aus einem Originalauftrag: 5-mm-Glieder aus einer verspäteten "
               "Lieferung für eine europäische Marke, tadellos verarbeitet."),
        "fr": ("Chaîne maille cubaine",
               "Surplus d’une commande d’origine : maillons de 5 mm issus d’une livraison en "
               "retard pour une marque européenne, parfaitement réalisés."),
        "es": ("Cadena de eslabón cubano",
               "Excedente de pedido original: eslabones de 5 mm de una entrega tardía para una "
               "marca europea, perfectamente acabados."),
        "ja": ("キューバンリンク・チェーン",
               "輸出余剰品（オリジナルオーダー品）："
               "欧州ブランド向けで納期に遅れた5 mmリンクのチェーン。仕上がりは完璧です。"),
        "zh_Hans": ("古巴链",
                    "外贸尾货（原单）：某欧洲品牌延迟交货订单的5 mm链节，做工完美。"),
        "ar": ("سلسلة بحلقات كوبية",
               "فائض تصدير من الطلبية الأصلية: حلقات قياس 5 مم من شحنة تأخّر تسليمها لعلامة "
               "تجارية أوروبية، مصنوعة بإتقان تام."),
    },
    "huggie-hoops": {
        "de": ("Huggie-Creolen",
               "Kleine, kräftige Creolen, die sich eng ans Ohrläppchen schmiegen, mit "
               "Scharnier-Klickverschluss."),
        "fr": ("Créoles huggies",
               "Petites créoles épaisses qui épousent le lobe, avec fermeture à charnière qui se "
               "clipse."),
        "es": ("Aros huggie",
               "Aros pequeños y gruesos que abrazan el lóbulo, con cierre de bisagra a presión."),
        "ja": ("ハギーフープピアス",
               "耳たぶにぴったり沿う、小ぶりで太めのフープ。ヒンジ式のワンタッチ留め具です。"),
        "zh_Hans": ("贴耳圈耳环",
                    "小巧厚实的耳圈，紧贴耳垂，采用铰链式按扣开合。"),
        "ar": ("أقراط حلقية ملاصقة",
               "حلقات صغيرة سميكة تحتضن شحمة الأذن، بإغلاق مفصلي يُطبق بنقرة."),
    },
    "pearl-stud-earrings": {
        "de": ("Perlenstecker",
               "Button-Süßwasserperlen auf Steckern aus Gold-Vermeil, in unserem Atelier "
               "paarweise ausgesucht."),
        "fr": ("Puces d’oreilles perles",
               "Perles d’eau douce bouton sur tiges en vermeil, assorties par paires dans notre "
               "atelier."),
        "es": ("Pendientes de botón de perla",
               "Perlas de agua dulce tipo botón sobre postes de vermeil de oro, emparejadas en "
               "nuestro taller."),
        "ja": ("パール・スタッドピアス",
               "ボタン形の淡水パールをゴールドヴェルメイユのポストに。"
               "アトリエで左右をそろえて組み合わせています。"),
        "zh_Hans": ("珍珠耳钉",
                    "馒头形淡水珍珠配925银镀金耳针，在我们的工坊成对挑选配对。"),
        "ar": ("أقراط لؤلؤ صغيرة",
               "لآلئ مياه عذبة على شكل زر مثبّتة على دبابيس من الفيرماي الذهبي، منتقاة أزواجًا في "
               "مشغلنا."),
    },
    "chandbali-earrings": {
        "de": ("Chandbali-Ohrringe",
               "Halbmondförmige Ohrringe aus Jaipur, vergoldetes Silber mit rotem Glas und einem "
               "Saum aus Saatperlen."),
        "fr": ("Boucles d’oreilles chandbali",
               "Boucles en croissant de lune venues de Jaipur, en argent doré avec verre rouge "
               "et frange de perles de rocaille."),
        "es": ("Pendientes chandbali",
               "Pendientes en forma de media luna de Jaipur, de plata dorada con vidrio rojo y "
               "un fleco de aljófares."),
        "ja": ("チャンドバリ・ピアス",
               "ジャイプールから届いた三日月形のピアス。"
               "金メッキのシルバーに赤いガラスとシードパールのフリンジをあしらっています。"),
        "zh_Hans": ("月牙形耳环",
                    "来自斋浦尔的新月形耳环，镀金银材质，点缀红色玻璃和米珠流苏。"),
        "ar": ("أقراط شاندبالي",
               "أقراط هلالية من جايبور، من الفضة المذهّبة بزجاج أحمر وأهداب من اللؤلؤ الدقيق."),
    },
    "geometric-drop-earrings": {
        "de": ("Geometrische Hängeohrringe",
               "Offene Sechseck-Hänger. Überschussware aus Restmaterial, ohne Qualitätsprüfung "
               "durch die Marke."),
        "fr": ("Pendants d’oreilles géométriques",
               "Pendants en hexagone ajouré. Surplus de matières restantes, sans contrôle "
               "qualité de la marque."),
        "es": ("Pendientes colgantes geométricos",
               "Colgantes en forma de hexágono calado. Excedente de material sobrante, sin la "
               "inspección de calidad de la marca."),
        "ja": ("ジオメトリック・ドロップピアス",
               "中が抜けた六角形のドロップ。輸出余剰品（残材生産品）で、"
               "ブランドの品質検品は受けていません。"),
        "zh_Hans": ("几何垂坠耳环",
                    "镂空六边形垂坠。外贸尾货（跳单），未经品牌质检。"),
        "ar": ("أقراط متدلية هندسية",
               "أقراط متدلية على شكل سداسي مفرّغ. فائض تصدير من المواد المتبقية، دون فحص الجودة "
               "من العلامة التجارية."),
    },
    "lab-diamond-studs": {
        "de": ("Ohrstecker mit Labordiamanten",
               "Im Labor gezüchtete Diamanten, von IGI zertifiziert, in Vierkrappen-Körbchen aus "
               "14 Karat Weißgold."),
        "fr": ("Puces diamants de laboratoire",
               "Diamants de laboratoire certifiés IGI, sertis dans des paniers à quatre griffes "
               "en or blanc 14 carats."),
        "es": ("Pendientes de diamantes de laboratorio",
               "Diamantes creados en laboratorio, certificados por IGI, en cestillas de cuatro "
               "garras de oro blanco de 14 quilates."),
        "ja": ("ラボグロウンダイヤモンド・スタッドピアス",
               "IGI鑑定書付きのラボグロウンダイヤモンドを、"
               "14Kホワイトゴールドの4本爪バスケットにセッティングしました。"),
        "zh_Hans": ("培育钻石耳钉",
                    "实验室培育钻石，经IGI分级鉴定，以四爪14K白金篮式托镶嵌。"),
        "ar": ("أقراط ألماس مستزرع",
               "ألماس مستزرع في المختبر ومصنّف من IGI، في سلال بأربعة مخالب من الذهب الأبيض عيار "
               "14."),
    },
    "sapphire-drop-earrings": {
        "de": ("Saphir-Hängeohrringe",
               "Nachproduktion mit synthetischen Saphiren statt der natürlichen Steine der "
               "ersten Serie; geprüft."),
        "fr": ("Pendants d’oreilles saphirs",
               "Production complémentaire avec des saphirs de synthèse, là où la première série "
               "utilisait des saphirs naturels ; contrôlée."),
        "es": ("Pendientes colgantes de zafiro",
               "Producción adicional con zafiros sintéticos donde la primera tirada usó zafiros "
               "naturales; revisada."),
        "ja": ("サファイア・ドロップピアス",
               "追加生産品：初回生産の天然サファイアに代えて、合成サファイアを使用しています。"
               "検品済みです。"),
        "zh_Hans": ("蓝宝石垂坠耳环",
                    "跟单：首批采用天然蓝宝石，此批改用合成蓝宝石；已质检。"),
        "ar": ("أقراط متدلية بالياقوت الأزرق",
               "إنتاج لاحق بياقوت أزرق مُصنَّع، بعدما استخدمت الدفعة الأولى أحجارًا طبيعية؛ مفحوصة."),
    },
    "star-ear-climber": {
        "de": ("Ear Climber mit Sternen",
               "Ein Ear Climber aus fünf winzigen Sternen, der dem Bogen des Ohrs folgt; "
               "hypoallergener Stahl."),
        "fr": ("Boucle grimpante étoiles",
               "Une boucle grimpante de cinq petites étoiles qui suit la courbe de l’oreille ; "
               "acier hypoallergénique."),
        "es": ("Trepador de estrellas",
               "Un pendiente trepador de cinco estrellas diminutas que sigue la curva de la "
               "oreja; acero hipoalergénico."),
        "ja": ("スター・イヤークライマー",
               "5つの小さな星が耳のカーブに沿って連なるイヤークライマー。"
               "アレルギーを起こしにくいステンレス製です。"),
        "zh_Hans": ("星星爬耳耳环",
                    "五颗小星星沿耳廓弧线排列的爬耳式耳环；低致敏不锈钢。"),
        "ar": ("قرط متسلّق بالنجوم",
               "قرط متسلّق من خمس نجوم صغيرة يتبع انحناءة الأذن، من فولاذ لا يسبّب الحساسية."),
    },
    "hammered-gold-hoops": {
        "de": ("Gehämmerte Goldcreolen",
               "Von Hand gehämmerte Creolen aus 14 Karat Gold; jede Hammerspur fängt das Licht "
               "anders ein."),
        "fr": ("Créoles en or martelé",
               "Créoles en or 14 carats martelées à la main ; chaque trace de marteau accroche "
               "la lumière différemment."),
        "es": ("Aros de oro martillado",
               "Aros de oro de 14 quilates martillados a mano; cada marca del martillo refleja "
               "la luz de forma distinta."),
        "ja": ("槌目ゴールドフープピアス",
               "手作業で槌目を入れた14Kゴールドのフープ。"
               "ひとつひとつの槌目が異なる表情で光をとらえます。"),
        "zh_Hans": ("锤纹金耳圈",
                    "手工锤打的14K金耳圈；每一道锤痕都以不同的角度捕捉光线。"),
        "ar": ("أقراط حلقية من الذهب المطروق",
               "أقراط حلقية من ذهب عيار 14 مطروقة يدويًا، تلتقط كل علامة طرق فيها الضوء على نحو "
               "مختلف."),
    },
    "turquoise-studs": {
        "de": ("Türkis-Ohrstecker",
               "Stabilisierter Türkis in einer Silberzarge mit Kordelrand."),
        "fr": ("Puces d’oreilles turquoise",
               "Turquoise stabilisée dans un chaton en argent bordé d’une torsade."),
        "es": ("Pendientes de botón de turquesa",
               "Turquesa estabilizada en un bisel de plata con borde de cordón."),
        "ja": ("ターコイズ・スタッドピアス",
               "スタビライズド加工を施したターコイズを、"
               "縄目模様で縁取ったシルバーのベゼルに留めました。"),
        "zh_Hans": ("绿松石耳钉",
                    "经稳定化处理的绿松石，镶于绳纹镶边的银质包边托中。"),
        "ar": ("أقراط فيروز صغيرة",
               "فيروز مُثبَّت في إطار من الفضة بحافة مجدولة على شكل حبل."),
    },
    "threader-earrings": {
        "de": ("Durchzieher-Ohrringe",
               "Überschussware aus einem Originalauftrag: wegen zu geringer Verschlussspannung "
               "zurückgegeben, inzwischen behoben."),
        "fr": ("Boucles d’oreilles chaînette traversante",
               "Surplus d’une commande d’origine : renvoyées pour un défaut de tension du "
               "fermoir, corrigé depuis."),
        "es": ("Pendientes de cadena pasante",
               "Excedente de pedido original: devueltos por un fallo en la tensión del cierre, "
               "ya corregido."),
        "ja": ("スレッダーピアス",
               "輸出余剰品（オリジナルオーダー品）：留め具の締まり具合の不良で返品されましたが、"
               "その後修正済みです。"),
        "zh_Hans": ("耳线",
                    "外贸尾货（原单）：曾因扣头松紧度不达标被退回，现已修正。"),
        "ar": ("أقراط سلسلية تمرّ عبر الأذن",
               "فائض تصدير من الطلبية الأصلية: أُعيدت بسبب خلل في شدّ المشبك، وقد صُحّح منذ ذلك "
               "الحين."),
    },
    "titanium-cz-studs": {
        "de": ("Titan-Ohrstecker mit Zirkonia",
               "Stecker aus Implantat-Titan für empfindliche Ohren, mit einem funkelnden "
               "Zirkonia."),
        "fr": ("Puces en titane et oxyde de zirconium",
               "Tiges en titane de qualité implant pour oreilles sensibles, avec un oxyde de "
               "zirconium étincelant."),
        "es": ("Pendientes de titanio con circonita",
               "Postes de titanio de grado implante para orejas sensibles, con una brillante "
               "circonita cúbica."),
        "ja": ("チタン・キュービックジルコニアピアス",
               "敏感な耳にもやさしいインプラントグレードのチタン製ポストに、"
               "輝くキュービックジルコニアを留めました。"),
        "zh_Hans": ("钛金属锆石耳钉",
                    "植入级钛金属耳针，适合敏感耳朵，镶一颗闪亮的立方氧化锆。"),
        "ar": ("أقراط تيتانيوم بالزركونيا",
               "دبابيس من تيتانيوم بدرجة الزرعات الطبية للآذان الحساسة، مع زركونيا مكعبة لامعة."),
    },
    "tennis-bracelet": {
        "de": ("Tennisarmband",
               "Eine Reihe 3-mm-Zirkonia in Sterlingsilber mit doppeltem Sicherheitsverschluss."),
        "fr": ("Bracelet tennis",
               "Une ligne d’oxydes de zirconium de 3 mm en argent sterling, avec double fermoir "
               "de sécurité."),
        "es": ("Pulsera tenis",
               "Una línea de circonitas cúbicas de 3 mm en plata de ley con doble cierre de "
               "seguridad."),
        "ja": ("テニスブレスレット",
               "3 mmのキュービックジルコニアを一列に並べたスターリングシルバーのブレスレット。"
               "二重のセーフティクラスプ付きです。"),
        "zh_Hans": ("网球手链",
                    "3 mm立方氧化锆排镶于纯银链身，配双重安全扣。"),
        "ar": ("سوار تنس",
               "صفّ من أحجار الزركونيا المكعبة قياس 3 مم في الفضة الإسترلينية، بمشبك أمان مزدوج."),
    },
    "hill-tribe-cuff": {
        "de": ("Hill-Tribe-Armreif",
               "Ein offener Armreif mit hohem Feinsilberanteil, geprägt mit Mustern des "
               "Karen-Bergvolks."),
        "fr": ("Manchette des tribus des collines",
               "Une manchette riche en argent fin, frappée de motifs des tribus karens des "
               "collines."),
        "es": ("Brazalete de las tribus de la montaña",
               "Un brazalete abierto rico en plata fina, estampado con motivos de las tribus "
               "karen de la montaña."),
        "ja": ("ヒルトライブ・バングル",
               "純銀の含有率が高いシルバーに、カレン族の伝統文様を刻印したオープンバングルです。"),
        "zh_Hans": ("山地部落开口手镯",
                    "高含量纯银开口手镯，压印克伦族山地部落纹样。"),
        "ar": ("سوار مفتوح من قبائل التلال",
               "سوار مفتوح غني بالفضة الخالصة، منقوش بزخارف قبائل الكارين في التلال."),
    },
    "figaro-chain-bracelet": {
        "de": ("Figarokette-Armband",
               "Der italienische Klassiker: drei kurze Glieder und ein langes, in 18 Karat "
               "Gelbgold."),
        "fr": ("Bracelet maille figaro",
               "Le classique italien : trois maillons courts et un long, en or jaune 18 carats."),
        "es": ("Pulsera de cadena Fígaro",
               "El clásico italiano: tres eslabones cortos y uno largo, en oro amarillo de 18 "
               "quilates."),
        "ja": ("フィガロチェーン・ブレスレット",
               "イタリアの定番、短いコマ3つと長いコマ1つが交互に続くデザイン。"
               "18Kイエローゴールド製です。"),
        "zh_Hans": ("费加罗链手链",
                    "意大利经典款：三短一长的链节组合，18K黄金打造。"),
        "ar": ("سوار بسلسلة فيغارو",
               "الكلاسيكية الإيطالية: ثلاث حلقات قصيرة وواحدة طويلة، من الذهب الأصفر عيار 18."),
    },
    "freshwater-pearl-bracelet": {
        "de": ("Süßwasserperlen-Armband",
               "Reiskornperlen, von Hand auf Seide geknotet, mit einem Knebelverschluss aus "
               "Vermeil."),
        "fr": ("Bracelet perles d’eau douce",
               "Perles grains de riz nouées à la main sur soie, avec un fermoir à bâtonnet en "
               "vermeil."),
        "es": ("Pulsera de perlas de agua dulce",
               "Perlas de arroz anudadas a mano sobre seda, con cierre de barra y anilla de "
               "vermeil."),
        "ja": ("淡水パール・ブレスレット",
               "ライスパールをシルクに手で結びつなぎ、"
               "ヴェルメイユのマンテル留め具を合わせました。"),
        "zh_Hans": ("淡水珍珠手链",
                    "米粒形珍珠以真丝线手工打结串成，配银镀金T字扣。"),
        "ar": ("سوار من لؤلؤ المياه العذبة",
               "لآلئ على شكل حبّات الأرز معقودة يدويًا على الحرير، بمشبك عصوي من الفيرماي."),
    },
    "lucky-charm-bracelet": {
        "de": ("Glücksbringer-Armband",
               "Anhänger mit Kleeblatt, Hufeisen und Stern. Überschussware aus Restmaterial, "
               "nicht von der Marke geprüft."),
        "fr": ("Bracelet porte-bonheur",
               "Breloques trèfle, fer à cheval et étoile. Surplus de matières restantes, non "
               "contrôlé par la marque."),
        "es": ("Pulsera de la suerte",
               "Dijes de trébol, herradura y estrella. Excedente de material sobrante, sin "
               "inspección de la marca."),
        "ja": ("ラッキーチャーム・ブレスレット",
               "クローバー、馬蹄、星のチャーム付き。輸出余剰品（残材生産品）で、"
               "ブランドの検品は受けていません。"),
        "zh_Hans": ("幸运吊饰手链",
                    "四叶草、马蹄铁和星星吊饰。外贸尾货（跳单），未经品牌质检。"),
        "ar": ("سوار بتعويذات الحظ",
               "تعويذات على شكل برسيم وحدوة حصان ونجمة. فائض تصدير من المواد المتبقية، لم تفحصه "
               "العلامة التجارية."),
    },
    "evil-eye-chain-bracelet": {
        "de": ("Kettenarmband mit Nazar-Auge",
               "Ein blaues Emaille-Auge an einer feinen Stahlkette, verstellbar von 15 bis 19 cm."),
        "fr": ("Bracelet chaîne œil protecteur",
               "Un œil en émail bleu sur une fine chaîne en acier, réglable de 15 à 19 cm."),
        "es": ("Pulsera de cadena con ojo turco",
               "Un ojo de esmalte azul en una fina cadena de acero, ajustable de 15 a 19 cm."),
        "ja": ("イーブルアイ・チェーンブレスレット",
               "青いエナメルの目のモチーフを繊細なステンレスチェーンに。"
               "長さは15〜19 cmで調節できます。"),
        "zh_Hans": ("恶魔之眼手链",
                    "蓝色珐琅眼睛吊饰配纤细钢链，长度可在15至19 cm之间调节。"),
        "ar": ("سوار سلسلة بعين زرقاء",
               "عين من المينا الزرقاء على سلسلة رفيعة من الفولاذ، قابلة للتعديل من 15 إلى 19 سم."),
    },
    "engraved-bar-cuff": {
        "de": ("Gravierter Stabarmreif",
               "Ein schmaler offener Armreif, von Hand mit bis zu 20 Zeichen graviert. Auf "
               "Bestellung gefertigt."),
        "fr": ("Manchette barrette gravée",
               "Une fine manchette ouverte, gravée à la main de 20 caractères au plus. Fabriquée "
               "sur commande."),
        "es": ("Brazalete de barra grabado",
               "Un brazalete abierto y fino, grabado a mano con hasta 20 caracteres. Fabricado "
               "por encargo."),
        "ja": ("刻印バーバングル",
               "細身のオープンバングルに、最大20文字まで手彫りで刻印します。受注生産です。"),
        "zh_Hans": ("刻字开口手镯",
                    "纤细的开口手镯，可手工刻最多20个字符。接单定制。"),
        "ar": ("سوار مفتوح منقوش",
               "سوار رفيع مفتوح يُنقش يدويًا بما يصل إلى 20 حرفًا. يُصنع حسب الطلب."),
    },
    "beaded-ball-chain-bracelet": {
        "de": ("Kugelkettenarmband",
               "Nachproduktion: In der Neuauflage sind die Kugeln 2,5 mm statt 3 mm groß; "
               "geprüft."),
        "fr": ("Bracelet chaîne boules",
               "Production complémentaire : la réédition utilise des boules de 2,5 mm au lieu de "
               "3 mm ; contrôlé."),
        "es": ("Pulsera de cadena de bolitas",
               "Producción adicional: la nueva tirada usa bolitas de 2,5 mm en lugar de 3 mm; "
               "revisada."),
        "ja": ("ボールチェーン・ブレスレット",
               "追加生産品：再生産品では、初回の3 mmに代えて2.5 mmのボールを使用しています。"
               "検品済みです。"),
        "zh_Hans": ("圆珠链手链",
                    "跟单：再生产批次采用2.5 mm圆珠，首批为3 mm；已质检。"),
        "ar": ("سوار بسلسلة كرات",
               "إنتاج لاحق: تستخدم الدفعة الجديدة كرات قياس 2.5 مم بدلًا من 3 مم في الدفعة "
               "الأولى؛ مفحوص."),
    },
    "kada-bangle": {
        "de": ("Kada-Armreif",
               "Ein massiver runder Kada aus Sterlingsilber, von Hand in Jaipur gehämmert."),
        "fr": ("Jonc kada",
               "Un kada rond et massif en argent sterling, martelé à la main à Jaipur."),
        "es": ("Brazalete kada",
               "Un kada redondo y macizo de plata de ley, martillado a mano en Jaipur."),
        "ja": ("カダ・バングル",
               "スターリングシルバー無垢の丸いカダ。"
               "ジャイプールで職人が手作業で槌打ちして仕上げています。"),
        "zh_Hans": ("卡达手镯",
                    "实心圆形纯银卡达手镯，在斋浦尔手工锤制。"),
        "ar": ("سوار كادا",
               "سوار كادا دائري مصمت من الفضة الإسترلينية، مطروق يدويًا في جايبور."),
    },
    "platinum-link-bracelet": {
        "de": ("Platin-Gliederarmband",
               "Überschussware aus einem Originalauftrag für die Jubiläumsserie eines Juweliers, "
               "wegen verspäteter Lieferung zurückgegeben."),
        "fr": ("Bracelet maillons platine",
               "Surplus d’une commande d’origine pour la série anniversaire d’un joaillier, "
               "renvoyé pour livraison tardive."),
        "es": ("Pulsera de eslabones de platino",
               "Excedente de pedido original de la serie de aniversario de un joyero, devuelto "
               "por entrega tardía."),
        "ja": ("プラチナ・リンクブレスレット",
               "輸出余剰品（オリジナルオーダー品）：ある宝飾店の周年記念シリーズ向けに製作され、"
               "納期遅れのため返品されたものです。"),
        "zh_Hans": ("铂金链节手链",
                    "外贸尾货（原单）：原为某珠宝商周年纪念系列生产，因交货延迟被退回。"),
        "ar": ("سوار بحلقات من البلاتين",
               "فائض تصدير من الطلبية الأصلية لسلسلة ذكرى سنوية لدى أحد صانعي المجوهرات، أُعيد "
               "بسبب تأخر التسليم."),
    },
    "amethyst-station-bracelet": {
        "de": ("Amethyst-Stationsarmband",
               "Überschussware aus einem Originalauftrag: in Zargen gefasste Amethyste an einer "
               "feinen Silberkette, nach einem kleinen Polierfehler aussortiert."),
        "fr": ("Bracelet chaîne à stations améthystes",
               "Surplus d’une commande d’origine : améthystes serties clos sur une fine chaîne "
               "en argent, mises de côté après un léger défaut de polissage."),
        "es": ("Pulsera de cadena con amatistas",
               "Excedente de pedido original: amatistas en engaste de bisel sobre una fina "
               "cadena de plata, apartadas tras un pequeño fallo de pulido."),
        "ja": ("アメジスト・ステーションブレスレット",
               "輸出余剰品（オリジナルオーダー品）："
               "ベゼルセッティングのアメジストを細いシルバーチェーンに配したもの。"
               "わずかな研磨ミスのため検品で外されたものです。"),
        "zh_Hans": ("紫水晶间隔手链",
                    "外贸尾货（原单）：包镶紫水晶点缀于纤细银链上，因轻微抛光瑕疵被挑出。"),
        "ar": ("سوار بمحطات من الجمشت",
               "فائض تصدير من الطلبية الأصلية: أحجار جمشت مرصّعة بإطار على سلسلة فضية رفيعة، جُنّبت "
               "بعد عيب طفيف في التلميع."),
    },
}

CATEGORY_NAMES: dict[str, dict[str, str]] = {
    "rings": {"de": "Ringe", "fr": "Bagues", "es": "Anillos", "ja": "リング",
              "zh_Hans": "戒指", "ar": "خواتم"},
    "necklaces": {"de": "Halsketten", "fr": "Colliers", "es": "Collares", "ja": "ネックレス",
                  "zh_Hans": "项链", "ar": "قلائد"},
    "earrings": {"de": "Ohrringe", "fr": "Boucles d’oreilles", "es": "Pendientes",
                 "ja": "ピアス・イヤリング", "zh_Hans": "耳饰", "ar": "أقراط"},
    "bracelets": {"de": "Armbänder", "fr": "Bracelets", "es": "Pulseras", "ja": "ブレスレット",
                  "zh_Hans": "手链", "ar": "أساور"},
}

# Brand names stay as they are in Latin-script languages; these are the transliterations
# (place names in their usual local form) a Japanese, Chinese or Arabic page shows.
BRAND_NAMES: dict[str, dict[str, str]] = {
    "silverline-shenzhen": {"ja": "シルバーライン深圳", "zh_Hans": "深圳银线",
                            "ar": "سيلفرلاين شنتشن"},
    "lumen-loom-atelier": {"ja": "ルーメン＆ルーム・アトリエ", "zh_Hans": "流明与织机工坊",
                           "ar": "أتيليه لومن آند لوم"},
    "yiwu-brightway": {"ja": "義烏ブライトウェイ・アクセサリーズ", "zh_Hans": "义乌布莱特威饰品",
                       "ar": "إيوو برايتواي للإكسسوارات"},
    "casa-ornata": {"ja": "カーサ・オルナータ", "zh_Hans": "卡萨·奥尔纳塔", "ar": "كازا أورناتا"},
    "siam-silver-works": {"ja": "サイアム・シルバーワークス", "zh_Hans": "暹罗银器工坊",
                          "ar": "سيام سيلفر ووركس"},
    "amber-road-jaipur": {"ja": "アンバーロード・ジャイプール", "zh_Hans": "斋浦尔琥珀之路",
                          "ar": "أمبر رود جايبور"},
}

# The shipping methods by their English name (the same code names a different service in
# each zone: Europe's standard is a parcel, the rest of the world's is tracked airmail).
SHIPPING_METHOD_NAMES: dict[str, dict[str, str]] = {
    "Standard parcel": {"de": "Standardpaket", "fr": "Colis standard", "es": "Paquete estándar",
                        "ja": "通常小包", "zh_Hans": "标准包裹", "ar": "طرد عادي"},
    "Tracked airmail": {"de": "Luftpost mit Sendungsverfolgung", "fr": "Courrier aérien suivi",
                        "es": "Correo aéreo con seguimiento", "ja": "追跡付き航空便",
                        "zh_Hans": "可追踪航空邮件", "ar": "بريد جوي مع التتبع"},
    "Express courier": {"de": "Expresskurier", "fr": "Coursier express", "es": "Mensajería urgente",
                        "ja": "エクスプレス便", "zh_Hans": "加急快递", "ar": "الشحن السريع"},
}
# fmt: on
