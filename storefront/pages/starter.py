"""Starter texts of the legal pages in every language the shop speaks, shown until the
merchant saves their own. They are templates: the [bracketed] parts are the merchant's to
complete, `{shop}` and `{return_days}` are filled in when shown."""

from __future__ import annotations

# locale -> kind -> (title, Markdown body)
STARTER: dict[str, dict[str, tuple[str, str]]] = {
    "en": {
        "imprint": (
            "Legal notice",
            "**{shop}** is run by [company name, legal form].\n\n"
            "[Street and number], [postal code and city], [country]\n\n"
            "Represented by [name]. E-mail: [address]. Phone: [number].\n\n"
            "Company register: [court, number]. VAT ID: [number].",
        ),
        "terms": (
            "Terms and conditions",
            "These terms apply to every order placed with **{shop}**.\n\n"
            "1. The contract is concluded when we confirm your paid order by e-mail.\n"
            "2. Prices include the taxes shown at checkout; import charges shown as due on "
            "delivery are paid to the carrier.\n"
            "3. Your right of withdrawal is described on our returns page.\n"
            "4. [Complete with your own terms: seller, warranty, disputes, applicable law.]",
        ),
        "privacy": (
            "Privacy policy",
            "**{shop}** uses your name, address, e-mail and phone only to deliver and bill "
            "your order, and keeps them as long as tax law requires.\n\n"
            "Payments are handled by our payment provider; we never see your full card "
            "number.\n\nYou may ask for a copy, a correction or the deletion of your data "
            "at [e-mail address]. Controller: [company, address].",
        ),
        "returns": (
            "Returns and right of withdrawal",
            "If you live in the EU or the UK you may withdraw from your purchase within "
            "14 days of receiving the goods, without giving a reason.\n\n"
            "**{shop}** accepts returns within {return_days} days of delivery. Start a "
            "return from your order's page; we refund within 14 days of receiving the "
            "goods back.\n\nMade-to-order and personalised pieces cannot be withdrawn. "
            "[Complete with your model withdrawal form and return address.]",
        ),
        "shipping": (
            "Shipping and duties",
            "**{shop}** ships worldwide. The delivery time and cost to your country are "
            "shown in the cart before you pay.\n\nImport duties and taxes: where we collect "
            "them at checkout, nothing more is due on delivery; otherwise the estimate "
            "shown at checkout is paid to the carrier. [Complete with your carriers.]",
        ),
        "contact": (
            "Contact",
            "Questions about an order or a piece? Write to **{shop}** at [e-mail address] "
            "or call [phone number], [opening hours].\n\nPostal address: [street], "
            "[postal code and city], [country].",
        ),
    },
    "de": {
        "imprint": (
            "Impressum",
            "**{shop}** wird betrieben von [Firmenname, Rechtsform].\n\n"
            "[Straße und Hausnummer], [PLZ und Ort], [Land]\n\n"
            "Vertreten durch [Name]. E-Mail: [Adresse]. Telefon: [Nummer].\n\n"
            "Handelsregister: [Gericht, Nummer]. USt-IdNr.: [Nummer].",
        ),
        "terms": (
            "Allgemeine Geschäftsbedingungen",
            "Diese Bedingungen gelten für jede Bestellung bei **{shop}**.\n\n"
            "1. Der Vertrag kommt zustande, wenn wir Ihre bezahlte Bestellung per E-Mail "
            "bestätigen.\n"
            "2. Die Preise enthalten die an der Kasse gezeigten Steuern; bei Lieferung "
            "fällige Einfuhrabgaben zahlen Sie dem Zusteller.\n"
            "3. Ihr Widerrufsrecht steht auf unserer Seite zu Rücksendungen.\n"
            "4. [Mit Ihren eigenen Bedingungen ergänzen: Verkäufer, Gewährleistung, "
            "Streitbeilegung, anwendbares Recht.]",
        ),
        "privacy": (
            "Datenschutzerklärung",
            "**{shop}** verwendet Ihren Namen, Ihre Adresse, E-Mail und Telefonnummer nur, "
            "um Ihre Bestellung zu liefern und abzurechnen, und bewahrt sie so lange auf, "
            "wie das Steuerrecht es verlangt.\n\nZahlungen wickelt unser Zahlungsdienst ab; "
            "Ihre vollständige Kartennummer sehen wir nie.\n\nAuskunft, Berichtigung oder "
            "Löschung Ihrer Daten erhalten Sie unter [E-Mail-Adresse]. Verantwortlich: "
            "[Firma, Adresse].",
        ),
        "returns": (
            "Rücksendungen und Widerrufsrecht",
            "Wenn Sie in der EU oder im Vereinigten Königreich wohnen, können Sie Ihren "
            "Kauf binnen 14 Tagen nach Erhalt der Ware ohne Angabe von Gründen widerrufen."
            "\n\n**{shop}** nimmt Rücksendungen binnen {return_days} Tagen nach Lieferung "
            "an. Starten Sie die Rücksendung auf der Seite Ihrer Bestellung; wir erstatten "
            "binnen 14 Tagen nach Eingang der Ware.\n\nAnfertigungen nach Maß und "
            "personalisierte Stücke sind vom Widerruf ausgeschlossen. [Mit Muster-"
            "Widerrufsformular und Rücksendeadresse ergänzen.]",
        ),
        "shipping": (
            "Versand und Zölle",
            "**{shop}** versendet weltweit. Lieferzeit und Versandkosten in Ihr Land sehen "
            "Sie im Warenkorb, bevor Sie bezahlen.\n\nEinfuhrabgaben: Wo wir sie an der "
            "Kasse erheben, ist bei Lieferung nichts mehr fällig; sonst zahlen Sie die an "
            "der Kasse geschätzten Abgaben dem Zusteller. [Mit Ihren Versanddiensten "
            "ergänzen.]",
        ),
        "contact": (
            "Kontakt",
            "Fragen zu einer Bestellung oder einem Stück? Schreiben Sie **{shop}** an "
            "[E-Mail-Adresse] oder rufen Sie [Telefonnummer] an, [Öffnungszeiten].\n\n"
            "Postanschrift: [Straße], [PLZ und Ort], [Land].",
        ),
    },
    "fr": {
        "imprint": (
            "Mentions légales",
            "**{shop}** est exploité par [raison sociale, forme juridique].\n\n"
            "[Rue et numéro], [code postal et ville], [pays]\n\n"
            "Représenté par [nom]. E-mail : [adresse]. Téléphone : [numéro].\n\n"
            "Registre du commerce : [greffe, numéro]. N° de TVA : [numéro].",
        ),
        "terms": (
            "Conditions générales de vente",
            "Ces conditions s'appliquent à toute commande passée chez **{shop}**.\n\n"
            "1. Le contrat est conclu lorsque nous confirmons votre commande payée par "
            "e-mail.\n"
            "2. Les prix comprennent les taxes affichées au paiement ; les frais "
            "d'importation dus à la livraison sont payés au transporteur.\n"
            "3. Votre droit de rétractation est décrit sur notre page des retours.\n"
            "4. [À compléter : vendeur, garanties, litiges, droit applicable.]",
        ),
        "privacy": (
            "Politique de confidentialité",
            "**{shop}** utilise vos nom, adresse, e-mail et téléphone uniquement pour "
            "livrer et facturer votre commande, et les conserve aussi longtemps que la loi "
            "fiscale l'exige.\n\nLes paiements sont traités par notre prestataire ; nous "
            "ne voyons jamais votre numéro de carte complet.\n\nVous pouvez demander une "
            "copie, une correction ou la suppression de vos données à [adresse e-mail]. "
            "Responsable : [société, adresse].",
        ),
        "returns": (
            "Retours et droit de rétractation",
            "Si vous résidez dans l'UE ou au Royaume-Uni, vous pouvez vous rétracter dans "
            "les 14 jours suivant la réception des articles, sans donner de motif.\n\n"
            "**{shop}** accepte les retours dans les {return_days} jours suivant la "
            "livraison. Lancez un retour depuis la page de votre commande ; nous "
            "remboursons dans les 14 jours suivant la réception des articles.\n\nLes "
            "pièces sur mesure ou personnalisées ne peuvent pas faire l'objet d'une "
            "rétractation. [À compléter : formulaire type et adresse de retour.]",
        ),
        "shipping": (
            "Livraison et droits de douane",
            "**{shop}** livre dans le monde entier. Le délai et le coût de livraison vers "
            "votre pays s'affichent dans le panier avant le paiement.\n\nDroits et taxes "
            "d'importation : s'ils sont perçus au paiement, rien n'est dû à la livraison ; "
            "sinon l'estimation affichée est payée au transporteur. [À compléter : vos "
            "transporteurs.]",
        ),
        "contact": (
            "Contact",
            "Une question sur une commande ou une pièce ? Écrivez à **{shop}** à "
            "[adresse e-mail] ou appelez le [numéro], [horaires].\n\nAdresse postale : "
            "[rue], [code postal et ville], [pays].",
        ),
    },
    "es": {
        "imprint": (
            "Aviso legal",
            "**{shop}** es gestionada por [razón social, forma jurídica].\n\n"
            "[Calle y número], [código postal y ciudad], [país]\n\n"
            "Representada por [nombre]. Correo: [dirección]. Teléfono: [número].\n\n"
            "Registro mercantil: [registro, número]. NIF-IVA: [número].",
        ),
        "terms": (
            "Términos y condiciones",
            "Estas condiciones se aplican a todo pedido realizado en **{shop}**.\n\n"
            "1. El contrato se celebra cuando confirmamos su pedido pagado por correo.\n"
            "2. Los precios incluyen los impuestos mostrados al pagar; los cargos de "
            "importación pagaderos a la entrega se abonan al transportista.\n"
            "3. Su derecho de desistimiento se describe en nuestra página de devoluciones.\n"
            "4. [Complete con sus propias condiciones: vendedor, garantía, litigios, "
            "ley aplicable.]",
        ),
        "privacy": (
            "Política de privacidad",
            "**{shop}** usa su nombre, dirección, correo y teléfono solo para entregar y "
            "facturar su pedido, y los conserva el tiempo que exige la ley fiscal.\n\n"
            "Los pagos los gestiona nuestro proveedor de pagos; nunca vemos el número "
            "completo de su tarjeta.\n\nPuede pedir una copia, la corrección o la "
            "supresión de sus datos en [correo electrónico]. Responsable: [empresa, "
            "dirección].",
        ),
        "returns": (
            "Devoluciones y derecho de desistimiento",
            "Si reside en la UE o en el Reino Unido, puede desistir de su compra en un "
            "plazo de 14 días desde la recepción de los artículos, sin indicar el motivo."
            "\n\n**{shop}** acepta devoluciones en los {return_days} días siguientes a la "
            "entrega. Inicie la devolución desde la página de su pedido; reembolsamos en "
            "los 14 días siguientes a recibir los artículos.\n\nLas piezas hechas por "
            "encargo o personalizadas no admiten desistimiento. [Complete con el "
            "formulario de desistimiento y la dirección de devolución.]",
        ),
        "shipping": (
            "Envíos y aranceles",
            "**{shop}** envía a todo el mundo. El plazo y el coste de entrega a su país se "
            "muestran en el carrito antes de pagar.\n\nAranceles e impuestos de "
            "importación: si los cobramos al pagar, no se debe nada a la entrega; si no, "
            "la estimación mostrada se paga al transportista. [Complete con sus "
            "transportistas.]",
        ),
        "contact": (
            "Contacto",
            "¿Preguntas sobre un pedido o una pieza? Escriba a **{shop}** a [correo "
            "electrónico] o llame al [teléfono], [horario].\n\nDirección postal: [calle], "
            "[código postal y ciudad], [país].",
        ),
    },
    "ja": {
        "imprint": (
            "特定商取引法に基づく表記",
            "**{shop}** の運営者：[会社名・法人形態]\n\n"
            "所在地：[国]、[郵便番号・市区町村]、[番地]\n\n"
            "代表者：[氏名]　メール：[アドレス]　電話：[番号]\n\n"
            "登記：[登記所・番号]　税番号：[番号]",
        ),
        "terms": (
            "利用規約",
            "本規約は **{shop}** へのすべてのご注文に適用されます。\n\n"
            "1. 契約は、お支払い済みのご注文をメールで確認した時点で成立します。\n"
            "2. 価格には決済時に表示される税金が含まれます。配達時に支払う輸入関税は"
            "配送業者にお支払いください。\n"
            "3. 撤回権については返品ページをご覧ください。\n"
            "4. [販売者、保証、紛争解決、準拠法など独自の規約で補完してください。]",
        ),
        "privacy": (
            "プライバシーポリシー",
            "**{shop}** は、お名前・住所・メール・電話番号をご注文の配送と請求のためだけ"
            "に使用し、税法で定められた期間保管します。\n\n"
            "お支払いは決済代行会社が処理し、当店がカード番号全体を見ることはありません。"
            "\n\nデータの開示・訂正・削除は [メールアドレス] までご請求ください。"
            "管理者：[会社名・住所]",
        ),
        "returns": (
            "返品と撤回権",
            "EUまたは英国にお住まいの方は、商品到着後14日以内であれば理由を問わず購入を"
            "撤回できます。\n\n**{shop}** では、配達から{return_days}日以内の返品を"
            "受け付けます。ご注文のページから返品を開始してください。商品の到着後14日以内"
            "に返金します。\n\n受注生産品や名入れ品は撤回の対象外です。"
            "[撤回書式と返送先住所で補完してください。]",
        ),
        "shipping": (
            "配送と関税",
            "**{shop}** は世界中に発送します。お届け先の国への配送日数と送料は、"
            "お支払い前にカートに表示されます。\n\n輸入関税と税金：決済時に徴収する場合、"
            "配達時の追加支払いはありません。それ以外の場合は、決済時に表示された見積額を"
            "配送業者にお支払いください。[利用する配送業者で補完してください。]",
        ),
        "contact": (
            "お問い合わせ",
            "ご注文や商品についてのご質問は、**{shop}** の [メールアドレス] または "
            "[電話番号]（[営業時間]）までご連絡ください。\n\n"
            "郵送先：[国]、[郵便番号・市区町村]、[番地]",
        ),
    },
    "zh_Hans": {
        "imprint": (
            "法律声明",
            "**{shop}** 由 [公司名称、法律形式] 经营。\n\n"
            "[国家]，[邮政编码及城市]，[街道及门牌号]\n\n"
            "代表人：[姓名]。电子邮件：[地址]。电话：[号码]。\n\n"
            "商业登记：[登记机关、编号]。税号：[编号]。",
        ),
        "terms": (
            "条款与条件",
            "本条款适用于在 **{shop}** 下的每一笔订单。\n\n"
            "1. 我们通过电子邮件确认您已付款的订单时，合同即告成立。\n"
            "2. 价格包含结账时显示的税费；到付的进口费用需支付给承运商。\n"
            "3. 您的撤销权请见我们的退货页面。\n"
            "4. [请补充您自己的条款：卖方、保修、争议解决、适用法律。]",
        ),
        "privacy": (
            "隐私政策",
            "**{shop}** 仅将您的姓名、地址、电子邮件和电话用于配送和结算订单，"
            "并按税法要求的期限保存。\n\n付款由我们的支付服务商处理，我们从不会看到您的"
            "完整卡号。\n\n如需获取、更正或删除您的数据，请联系 [电子邮件地址]。"
            "数据控制者：[公司、地址]。",
        ),
        "returns": (
            "退货与撤销权",
            "如果您居住在欧盟或英国，您可以在收到商品后14天内无理由撤销购买。\n\n"
            "**{shop}** 接受交货后{return_days}天内的退货。请在订单页面发起退货；"
            "我们会在收到退回商品后14天内退款。\n\n定制及个性化商品不适用撤销权。"
            "[请补充撤销表格范本和退货地址。]",
        ),
        "shipping": (
            "配送与关税",
            "**{shop}** 发货至全球。送达您所在国家的时间和运费会在付款前显示在购物车中。"
            "\n\n进口关税和税费：如在结账时收取，送达时无需再付；否则请将结账时显示的"
            "估算金额支付给承运商。[请补充您的承运商。]",
        ),
        "contact": (
            "联系我们",
            "对订单或商品有疑问？请发送邮件至 **{shop}** 的 [电子邮件地址]，"
            "或致电 [电话号码]（[营业时间]）。\n\n邮寄地址：[国家]，[邮政编码及城市]，"
            "[街道]。",
        ),
    },
    "ar": {
        "imprint": (
            "البيانات القانونية",
            "يدير **{shop}** [اسم الشركة وشكلها القانوني].\n\n"
            "[الشارع والرقم]، [الرمز البريدي والمدينة]، [البلد]\n\n"
            "يمثلها [الاسم]. البريد الإلكتروني: [العنوان]. الهاتف: [الرقم].\n\n"
            "السجل التجاري: [الجهة، الرقم]. الرقم الضريبي: [الرقم].",
        ),
        "terms": (
            "الشروط والأحكام",
            "تسري هذه الشروط على كل طلب يتم لدى **{shop}**.\n\n"
            "1. يُبرم العقد عندما نؤكد طلبك المدفوع بالبريد الإلكتروني.\n"
            "2. تشمل الأسعار الضرائب المعروضة عند الدفع؛ وتُدفع رسوم الاستيراد المستحقة "
            "عند التسليم لشركة الشحن.\n"
            "3. يرد حقك في الانسحاب في صفحة الإرجاع لدينا.\n"
            "4. [أكمل بشروطك الخاصة: البائع، الضمان، النزاعات، القانون المطبق.]",
        ),
        "privacy": (
            "سياسة الخصوصية",
            "يستخدم **{shop}** اسمك وعنوانك وبريدك الإلكتروني وهاتفك فقط لتوصيل طلبك "
            "وإصدار فاتورته، ويحتفظ بها المدة التي يفرضها قانون الضرائب.\n\nيعالج مزود "
            "الدفع لدينا المدفوعات؛ ولا نرى رقم بطاقتك كاملًا أبدًا.\n\nيمكنك طلب نسخة "
            "من بياناتك أو تصحيحها أو حذفها عبر [البريد الإلكتروني]. المسؤول: [الشركة، "
            "العنوان].",
        ),
        "returns": (
            "الإرجاع وحق الانسحاب",
            "إذا كنت تقيم في الاتحاد الأوروبي أو المملكة المتحدة، يمكنك الانسحاب من "
            "الشراء خلال 14 يومًا من استلام السلع دون إبداء سبب.\n\nيقبل **{shop}** "
            "الإرجاع خلال {return_days} يومًا من التسليم. ابدأ الإرجاع من صفحة طلبك؛ "
            "ونرد المبلغ خلال 14 يومًا من استلام السلع.\n\nلا يسري حق الانسحاب على "
            "القطع المصنوعة حسب الطلب أو المخصصة. [أكمل بنموذج الانسحاب وعنوان الإرجاع.]",
        ),
        "shipping": (
            "الشحن والرسوم الجمركية",
            "يشحن **{shop}** إلى جميع أنحاء العالم. تظهر مدة التوصيل إلى بلدك وتكلفته في "
            "السلة قبل الدفع.\n\nرسوم الاستيراد والضرائب: إذا حصّلناها عند الدفع فلا "
            "يستحق شيء عند التسليم؛ وإلا فتُدفع القيمة التقديرية المعروضة لشركة الشحن. "
            "[أكمل بشركات الشحن لديك.]",
        ),
        "contact": (
            "اتصل بنا",
            "لديك سؤال عن طلب أو قطعة؟ راسل **{shop}** على [البريد الإلكتروني] أو اتصل "
            "على [رقم الهاتف]، [ساعات العمل].\n\nالعنوان البريدي: [الشارع]، [الرمز "
            "البريدي والمدينة]، [البلد].",
        ),
    },
}
