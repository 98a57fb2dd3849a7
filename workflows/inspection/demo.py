"""Demo checklists: the general supervision checklist and the wastewater checklist of a provincial
industry office, built and published through workflows.inspection.checklists as an administrator
would build them in the admin. Safe to run twice: a code that exists already is left alone.

The limits and legal references are the commonly cited general ones; the guidance of each item
says where a factory's own limit may differ. Verify them before legal text goes into a letter."""

from decimal import Decimal

from django.db import transaction

from org.models import Person

from . import checklists
from .models import AnswerType, ChecklistItem, ChecklistSection, ChecklistTemplate, ChecklistVersion, Severity

FACTORY_ACT = "พ.ร.บ.โรงงาน พ.ศ. 2535"
FACTORY_ACT_2562 = "พ.ร.บ.โรงงาน พ.ศ. 2535 แก้ไขเพิ่มเติมโดย พ.ร.บ.โรงงาน (ฉบับที่ 2) พ.ศ. 2562"
FACTORY_DEFINITION = f"{FACTORY_ACT_2562} (นิยาม “โรงงาน”)"
SECTION_8 = "พ.ร.บ.โรงงาน พ.ศ. 2535 มาตรา 8 และกฎกระทรวงที่ออกตามมาตรานี้"
HAZARDOUS_ACT = "พ.ร.บ.วัตถุอันตราย พ.ศ. 2535"
WASTE_NOTICE = "ประกาศกระทรวงอุตสาหกรรม เรื่อง การจัดการสิ่งปฏิกูลหรือวัสดุที่ไม่ใช้แล้ว พ.ศ. 2566"
EFFLUENT_NOTICE = "ประกาศกระทรวงอุตสาหกรรม เรื่อง กำหนดมาตรฐานควบคุมการระบายน้ำทิ้งจากโรงงาน พ.ศ. 2560"
POLLUTANT_REPORT = "ประกาศกระทรวงอุตสาหกรรมว่าด้วยการจัดทำรายงานชนิดและปริมาณสารมลพิษที่ระบายออกจากโรงงาน (รว.)"

EFFLUENT_LIMIT_NOTE = (
    " ค่ามาตรฐานในแบบตรวจนี้เป็นค่าทั่วไปตาม" + EFFLUENT_NOTICE + " ค่าที่ใช้กับโรงงานจริงขึ้นกับประเภทโรงงาน"
    " ปริมาณน้ำทิ้ง และแหล่งรับน้ำทิ้ง (บางประเภทกำหนดไว้ต่างจากนี้ และเงื่อนไขในใบอนุญาตอาจเข้มกว่า)"
    " ถ้าโรงงานนี้มีค่ามาตรฐานเฉพาะ ให้บันทึกค่านั้นและที่มาไว้ในหมายเหตุ"
)
SAMPLE_NOTE = (
    "ใช้ผลวิเคราะห์ของตัวอย่างที่เก็บ ณ จุดระบายออกนอกโรงงานในวันตรวจ (ส่งห้องปฏิบัติการที่ขึ้นทะเบียนกับ"
    "กรมโรงงานอุตสาหกรรม แล้วบันทึกเมื่อได้ผล) หรือผลวิเคราะห์ล่าสุดของโรงงานโดยระบุวันที่และห้องปฏิบัติการไว้ในหมายเหตุ"
    " ระบบจะเทียบกับค่าที่โรงงานรายงานเองและแจ้งเตือนเมื่อต่างกันเกินร้อยละ 20"
)


def _item(code, answer_type, question_th, question_en, legal_ref, guidance, **extra) -> dict:
    return {
        "code": code,
        "answer_type": answer_type,
        "question_th": question_th,
        "question_en": question_en,
        "legal_ref": legal_ref,
        "guidance": guidance,
        **extra,
    }


def _yes_no(code, question_th, question_en, legal_ref, guidance, *, severity, weight, noncompliant=("no",)):
    return _item(
        code, AnswerType.YES_NO, question_th, question_en, legal_ref, guidance,
        noncompliant_answers=list(noncompliant), severity=severity, weight=Decimal(weight),
    )  # fmt: skip


def _figure(code, question_th, question_en, legal_ref, guidance, *, unit, reported_field, tolerance, **limits):
    """A number compared with the factory's own report; judged only when it has limits."""
    return _item(
        code, AnswerType.NUMBER, question_th, question_en, legal_ref, guidance, unit=unit,
        reported_field=reported_field, tolerance_pct=Decimal(tolerance),
        weight=Decimal(2 if limits else 0), severity=Severity.MAJOR if limits else Severity.MINOR, **limits,
    )  # fmt: skip


GENERAL = {
    "code": "general",
    "title_th": "การตรวจกำกับดูแลโรงงานทั่วไป",
    "title_en": "General factory supervision",
    "description": (
        "แบบตรวจพื้นฐานสำหรับการตรวจกำกับดูแลโรงงานตามแผน ตามรอบ และตามเรื่องร้องเรียน"
        " ครอบคลุมใบอนุญาตและทะเบียน ความปลอดภัยในการทำงาน และสิ่งแวดล้อม"
    ),
    "sections": [
        (
            "ใบอนุญาตและทะเบียน",
            "Licence and registration",
            [
                _yes_no(
                    "LIC-01",
                    "แสดงใบอนุญาตประกอบกิจการโรงงานหรือใบรับแจ้งไว้ในที่เปิดเผยเห็นได้ง่าย และประกอบกิจการตรงตามที่ได้รับอนุญาต"
                    " ทั้งประเภท/ชนิดของโรงงานและกำลังเครื่องจักร",
                    "Is the factory licence or notification receipt displayed openly, and does the factory operate as"
                    " licensed, both in its type of business and in its machinery power?",
                    FACTORY_ACT_2562,
                    "ขอดูใบอนุญาตประกอบกิจการโรงงาน (จำพวกที่ 3) หรือใบรับแจ้ง (จำพวกที่ 2) ฉบับจริง ดูว่าแสดงไว้ในที่เปิดเผย"
                    " และชื่อผู้ประกอบการ ที่ตั้ง เลขทะเบียนโรงงาน 14 หลัก และประเภท/ลำดับโรงงาน ตรงกับข้อมูลในระบบ"
                    " เดินดูกระบวนการผลิตว่าตรงกับที่ได้รับอนุญาต และเทียบกำลังเครื่องจักรที่ตรวจพบ (ข้อ LIC-02)"
                    " กับที่ระบุไว้ในใบอนุญาต ตอบ “ใช่” เมื่อครบทุกเรื่อง; ถ้าผลิตนอกเหนือจากที่ได้รับอนุญาต"
                    " หรือเพิ่มเครื่องจักรเกินกว่าที่ได้รับอนุญาต (อาจเข้าข่ายขยายโรงงานโดยยังไม่ได้รับอนุญาต)"
                    " ให้ตอบ “ไม่ใช่” และบันทึกสิ่งที่พบไว้ในหมายเหตุ",
                    severity=Severity.MAJOR,
                    weight=3,
                ),
                _figure(
                    "LIC-02",
                    "กำลังเครื่องจักรรวมที่ตรวจพบ",
                    "Total machinery power observed",
                    FACTORY_DEFINITION,
                    "รวมแรงม้าจากป้ายพิกัด (nameplate) ของเครื่องจักรที่ติดตั้งใช้งานอยู่ ไม่นับเครื่องสำรองที่ไม่ได้ต่อใช้งาน"
                    " ถ้าป้ายบอกเป็นกิโลวัตต์ ให้แปลงเป็นแรงม้า (1 แรงม้า ≈ 0.746 กิโลวัตต์) ระบบจะเทียบกับตัวเลขที่โรงงาน"
                    "รายงานเองและแจ้งเตือนเมื่อต่างกันเกินร้อยละ 10 ถ้าเกินกว่าที่ระบุในใบอนุญาต ให้ตอบข้อ LIC-01 ว่า “ไม่ใช่”",
                    unit="แรงม้า",
                    reported_field="machinery_hp",
                    tolerance=10,
                ),
                _figure(
                    "LIC-03",
                    "จำนวนคนงานที่ตรวจนับได้ (รวมทุกกะ)",
                    "Number of workers counted (all shifts)",
                    FACTORY_DEFINITION,
                    "นับจากบัญชีรายชื่อหรือระบบบันทึกเวลาทำงานประกอบกับการสังเกตในพื้นที่ผลิต รวมคนงานรายวันและคนงาน"
                    "ของผู้รับเหมาที่ทำงานในกระบวนการผลิต แล้วรวมทุกกะ ระบบจะเทียบกับตัวเลขที่โรงงานรายงานเอง"
                    "และแจ้งเตือนเมื่อต่างกันเกินร้อยละ 10",
                    unit="คน",
                    reported_field="workers",
                    tolerance=10,
                ),
                _item(
                    "LIC-04",
                    AnswerType.TEXT,
                    "ผลิตภัณฑ์หลัก วัตถุดิบ และกระบวนการผลิตที่พบในวันตรวจ",
                    "Main products, raw materials and production process seen on the day",
                    FACTORY_ACT,
                    "บรรยายสั้น ๆ ว่าในวันตรวจโรงงานผลิตอะไร ใช้วัตถุดิบอะไร กระบวนการหลักมีขั้นตอนใด และทำงานกี่กะ"
                    " เพื่อใช้เทียบกับใบอนุญาตและรายงานที่โรงงานแจ้งเอง ถ้าโรงงานหยุดผลิตในวันตรวจ ให้บันทึกเหตุผล",
                    weight=Decimal(0),
                ),
            ],
        ),
        (
            "ความปลอดภัยในการทำงาน",
            "Work safety",
            [
                _yes_no(
                    "SAF-01",
                    "มีเครื่องดับเพลิงชนิดเคลื่อนย้ายได้เพียงพอและเหมาะกับประเภทของเชื้อเพลิง ติดตั้งในที่มองเห็นและหยิบใช้ได้ง่าย"
                    " และอยู่ในสภาพพร้อมใช้งาน",
                    "Are there enough portable fire extinguishers of the right class, mounted where they are easy"
                    " to see and reach, and ready for use?",
                    SECTION_8,
                    "เดินตรวจทุกอาคารผลิตและคลังสินค้า ดูว่าเครื่องดับเพลิงกระจายทั่วพื้นที่และไม่มีสิ่งของกีดขวาง"
                    " เข็มมาตรวัดความดันอยู่ในช่วงใช้งาน (แถบสีเขียว) สายและหัวฉีดไม่ชำรุด และมีป้ายหรือบันทึกการตรวจสอบ"
                    "ตามรอบ ตอบ “ใช่” เมื่อครบทุกจุดและพร้อมใช้งาน",
                    severity=Severity.MAJOR,
                    weight=2,
                ),
                _yes_no(
                    "SAF-02",
                    "ทางหนีไฟและประตูทางออกฉุกเฉินไม่ถูกปิดกั้นหรือใส่กุญแจระหว่างเวลาทำงาน มีป้ายบอกทางออกและไฟฉุกเฉินที่ใช้งานได้",
                    "Are escape routes and emergency exits unobstructed and unlocked during working hours, with exit"
                    " signs and working emergency lights?",
                    SECTION_8,
                    "เดินตามเส้นทางหนีไฟจากจุดทำงานที่ไกลที่สุดไปจนถึงจุดรวมพล ทดลองเปิดประตูทางออกฉุกเฉินว่าเปิดได้ทันที"
                    "โดยไม่ต้องใช้กุญแจ และกดปุ่มทดสอบไฟฉุกเฉิน ถ้าประตูถูกล็อกหรือทางออกถูกกีดขวางขณะมีคนงานอยู่"
                    " ถือเป็นอันตรายร้ายแรงต่อชีวิต ให้ตอบ “ไม่ใช่” ถ่ายภาพ ให้ผู้ประกอบการแก้ไขทันทีต่อหน้า"
                    " และแจ้งหัวหน้ากลุ่มในวันตรวจ",
                    severity=Severity.CRITICAL,
                    weight=3,
                ),
                _yes_no(
                    "SAF-03",
                    "ระบบไฟฟ้าอยู่ในสภาพปลอดภัย: ตู้ควบคุมไฟฟ้ามีฝาปิดและไม่มีสิ่งของกีดขวาง สายไฟไม่ชำรุดหรือต่อพ่วงระโยงระยาง"
                    " เครื่องจักรต่อสายดิน และมีผลการตรวจสอบระบบไฟฟ้าฉบับล่าสุด",
                    "Is the electrical installation safe: panels closed and unobstructed, no damaged or improvised"
                    " wiring, machines earthed, and a current electrical inspection report?",
                    SECTION_8,
                    "ดูตู้ควบคุมไฟฟ้าหลักและตู้ย่อยในพื้นที่ผลิต สายไฟที่พาดผ่านพื้นหรืออยู่ใกล้แหล่งความร้อนหรือน้ำ"
                    " และสายดินของเครื่องจักร ขอดูรายงานผลการตรวจสอบระบบไฟฟ้าฉบับล่าสุดที่ลงนามโดยวิศวกรหรือ"
                    "ผู้ตรวจสอบที่มีคุณสมบัติ ข้อบกพร่องที่รายงานระบุต้องได้รับการแก้ไขแล้ว ถ้าไม่มีรายงานหรือรายงานเกินหนึ่งปี"
                    " ให้ตอบ “ไม่ใช่”",
                    severity=Severity.MAJOR,
                    weight=2,
                ),
                _yes_no(
                    "SAF-04",
                    "หม้อน้ำหรือหม้อต้มที่ใช้ของเหลวเป็นสื่อนำความร้อน (ถ้ามี) ได้รับการตรวจสอบความปลอดภัยประจำปี"
                    "โดยผู้ตรวจสอบที่ขึ้นทะเบียน และมีผู้ควบคุมประจำหม้อน้ำขณะเดินเครื่อง",
                    "Has each boiler or thermal-oil heater (if any) had its yearly safety inspection by a registered"
                    " inspector, and is a boiler operator on duty while it runs?",
                    SECTION_8,
                    "ดูหม้อน้ำทุกเครื่อง ขอดูรายงานผลการตรวจสอบความปลอดภัยฉบับล่าสุด (ภายในหนึ่งปี) ที่ลงนามโดยผู้ตรวจสอบ"
                    "ความปลอดภัยหม้อน้ำที่ขึ้นทะเบียนกับกรมโรงงานอุตสาหกรรม ดูว่าลิ้นนิรภัยและเกจวัดความดันใช้งานได้"
                    " และมีผู้ควบคุมประจำหม้อน้ำอยู่ขณะเดินเครื่อง ถ้าโรงงานไม่มีหม้อน้ำ ให้ตอบ “ไม่เกี่ยวข้อง”",
                    severity=Severity.MAJOR,
                    weight=2,
                ),
                _yes_no(
                    "SAF-05",
                    "สารเคมีและวัตถุอันตรายจัดเก็บเป็นสัดส่วน ภาชนะทุกใบมีฉลาก มีเอกสารข้อมูลความปลอดภัย (SDS)"
                    " ประจำพื้นที่จัดเก็บ และมีขอบกั้นหรือถาดรองรับการหกรั่วไหล",
                    "Are chemicals and hazardous substances stored apart, every container labelled, safety data sheets"
                    " (SDS) kept at the store, and spills contained by bunds or trays?",
                    HAZARDOUS_ACT,
                    "ดูพื้นที่เก็บสารเคมีและจุดใช้งานในสายการผลิต สารที่ทำปฏิกิริยากันต้องแยกเก็บ ภาชนะปิดสนิทและมีฉลาก"
                    " มีอุปกรณ์ล้างตาและอุปกรณ์ป้องกันอันตรายส่วนบุคคลที่เหมาะสม สุ่มขอดู SDS ของสารที่ใช้มากที่สุด 2–3 รายการ"
                    " และเทียบรายชื่อสารกับที่โรงงานรายงานไว้ในระบบ",
                    severity=Severity.MAJOR,
                    weight=2,
                ),
                _item(
                    "SAF-06",
                    AnswerType.CHOICE,
                    "ความเป็นระเบียบและความสะอาดของพื้นที่ปฏิบัติงาน",
                    "Housekeeping of the work areas",
                    SECTION_8,
                    "“ดี”: ทางเดินโล่ง มีการตีเส้นแบ่งพื้นที่ วัตถุดิบและสินค้าวางเป็นระเบียบ พื้นไม่ลื่นหรือมีน้ำมันเจิ่งนอง;"
                    " “พอใช้”: มีจุดรกบ้างแต่ไม่กีดขวางทางเดินหรืออุปกรณ์ฉุกเฉิน; “ต้องปรับปรุง”: ของวางกีดขวางทางเดิน"
                    " ทางหนีไฟ หรืออุปกรณ์ดับเพลิง มีเศษวัสดุติดไฟได้สะสม หรือพื้นลื่นจนเป็นอันตราย",
                    choices=["ดี", "พอใช้", "ต้องปรับปรุง"],
                    noncompliant_answers=["ต้องปรับปรุง"],
                    severity=Severity.MINOR,
                    weight=Decimal(1),
                ),
            ],
        ),
        (
            "สิ่งแวดล้อม",
            "Environment",
            [
                _yes_no(
                    "ENV-01",
                    "สิ่งปฏิกูลหรือวัสดุที่ไม่ใช้แล้ว (กากอุตสาหกรรม) จัดเก็บในพื้นที่ที่มีหลังคาและพื้นกันซึม แยกของเสียอันตราย"
                    "ออกจากของเสียไม่อันตราย และส่งบำบัดหรือกำจัดกับผู้รับที่ได้รับอนุญาต",
                    "Is industrial waste kept under a roof on an impermeable floor, hazardous apart from non-hazardous,"
                    " and sent only to licensed waste processors?",
                    WASTE_NOTICE,
                    "ดูพื้นที่เก็บกากของเสีย ภาชนะบรรจุมีฉลากระบุชนิดของเสีย ไม่มีการเผาหรือฝังกลบเองในโรงงาน"
                    " ขอดูหลักฐานการอนุญาตนำสิ่งปฏิกูลออกนอกโรงงานและเอกสารกำกับการขนส่งรอบล่าสุด"
                    " แล้วเทียบชนิดและปริมาณกับที่โรงงานรายงานในระบบ ถ้าพบการทิ้งหรือเผากากของเสียในที่โล่ง"
                    " ให้ถ่ายภาพและบันทึกไว้ในหมายเหตุ",
                    severity=Severity.MAJOR,
                    weight=2,
                ),
                _yes_no(
                    "ENV-02",
                    "ไม่มีฝุ่น กลิ่น ควัน หรือเสียงดังจากโรงงานที่ก่อความเดือดร้อนรำคาญแก่ชุมชนโดยรอบ"
                    " และอุปกรณ์ควบคุมมลพิษอากาศ (ถ้ามี) เดินเครื่องอยู่",
                    "Is the factory free of dust, odour, smoke or noise that disturbs its neighbours, with its air"
                    " pollution control equipment (if any) running?",
                    SECTION_8,
                    "เดินรอบแนวรั้วด้านที่ติดชุมชน สังเกตฝุ่นที่ตกสะสม กลิ่น ควันจากปล่อง และเสียงจากเครื่องจักร"
                    " ดูว่าอุปกรณ์ควบคุม เช่น ไซโคลน ถุงกรอง หรือเครื่องฟอกอากาศแบบเปียก เดินเครื่องอยู่"
                    " ถ้ามีเรื่องร้องเรียน ให้ตรวจในช่วงเวลาที่ผู้ร้องเรียนแจ้งว่าเกิดเหตุ และบันทึกสิ่งที่พบในหมายเหตุ",
                    severity=Severity.MAJOR,
                    weight=2,
                ),
                _yes_no(
                    "ENV-03",
                    "พบการระบายน้ำเสียที่ยังไม่ผ่านการบำบัดออกนอกโรงงานหรือลงทางน้ำสาธารณะ",
                    "Is untreated wastewater discharged outside the factory or into a public waterway?",
                    f"{SECTION_8}; {EFFLUENT_NOTICE}",
                    "ข้อนี้ตอบ “ใช่” เมื่อพบการฝ่าฝืน: น้ำเสียไหลออกนอกโรงงานโดยไม่ผ่านระบบบำบัด เช่น ท่อลับหรือท่อบายพาส"
                    " รางระบายน้ำฝนที่มีน้ำเสียจากกระบวนการผลิต หรือบ่อพักที่ล้นลงลำราง ให้เดินตามรางระบายน้ำรอบโรงงาน"
                    "ไปจนถึงจุดที่ออกสู่ภายนอก ถ้าพบ ให้ถ่ายภาพจุดระบาย เก็บตัวอย่างน้ำเป็นหลักฐาน และแจ้งหัวหน้ากลุ่ม"
                    "ในวันตรวจ สำหรับโรงงานที่มีน้ำเสียมาก ให้ใช้แบบตรวจการควบคุมมลพิษน้ำทิ้งร่วมด้วย",
                    severity=Severity.CRITICAL,
                    weight=3,
                    noncompliant=("yes",),
                ),
                _item(
                    "ENV-04",
                    AnswerType.PHOTO,
                    "ภาพถ่ายหน้าโรงงานที่เห็นป้ายชื่อ พื้นที่ผลิตหลัก และจุดที่พบข้อบกพร่อง",
                    "Photos: the factory front with its name board, the main production area and any deficiency found",
                    FACTORY_ACT,
                    "ถ่ายอย่างน้อยหน้าโรงงานที่เห็นป้ายชื่อและพื้นที่ผลิตหลัก ถ้าพบข้อบกพร่องข้อใด ให้ถ่ายภาพจุดนั้นแนบกับ"
                    "ข้อที่เกี่ยวข้องด้วย ภาพควรมีสิ่งที่บอกตำแหน่งได้ (ป้าย เลขอาคาร หรือเครื่องจักร)",
                    photo_required=True,
                    weight=Decimal(0),
                ),
            ],
        ),
    ],
}

WASTEWATER = {
    "code": "wastewater",
    "title_th": "การควบคุมมลพิษน้ำทิ้งจากโรงงาน",
    "title_en": "Factory wastewater and effluent control",
    "description": (
        "แบบตรวจสำหรับโรงงานที่มีน้ำเสียจากกระบวนการผลิต: การเดินระบบบำบัดน้ำเสีย การตรวจวัดคุณภาพน้ำทิ้ง"
        "เทียบกับมาตรฐาน และบันทึกและรายงานของโรงงาน"
    ),
    "sections": [
        (
            "ระบบบำบัดน้ำเสีย",
            "Wastewater treatment system",
            [
                _yes_no(
                    "WW-01",
                    "ระบบบำบัดน้ำเสียเดินระบบอยู่ในวันตรวจ และอุปกรณ์หลัก (เครื่องสูบน้ำ เครื่องเติมอากาศ ระบบจ่ายสารเคมี) ทำงานได้ตามปกติ",
                    "Is the wastewater treatment system running on the day, with its main equipment (pumps, aerators,"
                    " chemical dosing) working normally?",
                    SECTION_8,
                    "เดินตามระบบตั้งแต่บ่อรวบรวมน้ำเสียไปจนถึงจุดระบายออก ดูว่าเครื่องเติมอากาศทำงาน ระดับน้ำในแต่ละบ่อไม่ล้น"
                    " และตะกอนในบ่อเติมอากาศไม่มีกลิ่นเน่า (ระบบแบบใช้อากาศ) เทียบชนิดและขนาดของระบบกับแบบที่ยื่นไว้"
                    "ตอนขออนุญาต ถ้าเครื่องหยุดเพราะชำรุด ให้ถามว่าหยุดมานานเท่าใดและน้ำเสียช่วงนั้นไปที่ใด",
                    severity=Severity.MAJOR,
                    weight=3,
                ),
                _yes_no(
                    "WW-02",
                    "ไม่พบท่อหรือทางระบายที่ปล่อยน้ำเสียออกโดยไม่ผ่านระบบบำบัด (ท่อบายพาส)",
                    "Is there no pipe or channel letting wastewater bypass the treatment system?",
                    SECTION_8,
                    "ดูผังท่อระบายน้ำของโรงงาน เดินตามรางระบายน้ำฝนและท่อรอบอาคารผลิต สังเกตท่อที่ต่อจากบ่อรวบรวมไปยัง"
                    "รางระบายน้ำฝนหรือออกนอกรั้ว วาล์วที่เปิดข้ามระบบ และคราบน้ำเสียในรางระบายน้ำฝนในวันที่ไม่มีฝน"
                    " ตอบ “ใช่” เมื่อไม่พบ; ถ้าพบ ให้ตอบ “ไม่ใช่” ถ่ายภาพ และแจ้งหัวหน้ากลุ่มในวันตรวจ",
                    severity=Severity.CRITICAL,
                    weight=3,
                ),
                _yes_no(
                    "WW-03",
                    "มีมาตรวัดปริมาณน้ำ (flow meter) ที่จุดระบายน้ำทิ้งหรือทางเข้าระบบบำบัด ใช้งานได้ และจดบันทึกค่าเป็นประจำ",
                    "Is there a working flow meter at the effluent outlet or the treatment inlet, read and recorded"
                    " regularly?",
                    SECTION_8,
                    "ดูว่ามาตรวัดแสดงค่าเปลี่ยนไปขณะมีน้ำไหล อ่านค่าปัจจุบันแล้วเทียบกับสมุดบันทึก ถ้าโรงงานไม่มีมาตรวัด"
                    " ให้ตอบ “ไม่ใช่” และบันทึกวิธีที่โรงงานใช้ประมาณปริมาณน้ำทิ้ง (เช่น จากปริมาณน้ำใช้) ไว้ในหมายเหตุ",
                    severity=Severity.MAJOR,
                    weight=2,
                ),
                _figure(
                    "WW-04",
                    "ปริมาณน้ำทิ้งที่ระบายออกต่อวัน",
                    "Effluent discharged per day",
                    POLLUTANT_REPORT,
                    "คำนวณจากผลต่างของค่ามาตรวัดระหว่างสองวัน หรือค่าเฉลี่ยต่อวันจากสมุดบันทึกในเดือนล่าสุด"
                    " ระบบจะเทียบกับปริมาณที่โรงงานรายงานเองและแจ้งเตือนเมื่อต่างกันเกินร้อยละ 20",
                    unit="ลบ.ม./วัน",
                    reported_field="wastewater_m3_per_day",
                    tolerance=20,
                ),
                _yes_no(
                    "WW-05",
                    "มีบันทึกการทำงานของระบบบำบัดน้ำเสียเป็นประจำ และส่งรายงานชนิดและปริมาณสารมลพิษ (รว.) ครบตามกำหนด",
                    "Does the factory keep a regular log of its treatment system and file its pollutant discharge"
                    " reports (Ror.Wor.) on time?",
                    POLLUTANT_REPORT,
                    "ขอดูบันทึกการทำงานของระบบบำบัดย้อนหลังอย่างน้อย 3 เดือน: วันที่ ปริมาณน้ำ สารเคมีที่ใช้ ค่าที่ตรวจวัดเอง"
                    " ปัญหาและการแก้ไข ตรวจในระบบว่ารายงาน รว. งวดล่าสุดส่งแล้ว ค่าที่รายงานสอดคล้องกับบันทึก"
                    " และผลวิเคราะห์มาจากห้องปฏิบัติการที่ขึ้นทะเบียนกับกรมโรงงานอุตสาหกรรม",
                    severity=Severity.MAJOR,
                    weight=2,
                ),
                _item(
                    "WW-06",
                    AnswerType.TEXT,
                    "แหล่งรับน้ำทิ้งของโรงงาน และสภาพที่พบ ณ จุดที่น้ำทิ้งลงสู่แหล่งรับน้ำ",
                    "Where the effluent goes, and what the receiving water looks like where it enters",
                    EFFLUENT_NOTICE,
                    "ระบุว่าน้ำทิ้งลงสู่ที่ใด เช่น คลอง แม่น้ำ ทะเล ระบบรวบรวมน้ำเสียของเทศบาลหรือของนิคมอุตสาหกรรม"
                    " หรือนำกลับมาใช้ทั้งหมด เพราะค่ามาตรฐานที่ใช้อาจขึ้นกับแหล่งรับน้ำ แล้วบรรยายสภาพที่พบ เช่น สีของน้ำ"
                    " ฟอง กลิ่น หรือปลาตาย",
                    weight=Decimal(0),
                ),
            ],
        ),
        (
            "คุณภาพน้ำทิ้ง ณ จุดระบายออก",
            "Effluent quality at the outlet",
            [
                _figure(
                    "WW-10",
                    "บีโอดี (BOD) ของน้ำทิ้ง",
                    "BOD of the effluent",
                    EFFLUENT_NOTICE,
                    SAMPLE_NOTE + " ค่ามาตรฐานทั่วไป: ไม่เกิน 20 mg/l" + EFFLUENT_LIMIT_NOTE,
                    unit="mg/l",
                    reported_field="bod",
                    tolerance=20,
                    compliant_max=Decimal("20"),
                ),
                _figure(
                    "WW-11",
                    "ซีโอดี (COD) ของน้ำทิ้ง",
                    "COD of the effluent",
                    EFFLUENT_NOTICE,
                    SAMPLE_NOTE + " ค่ามาตรฐานทั่วไป: ไม่เกิน 120 mg/l" + EFFLUENT_LIMIT_NOTE,
                    unit="mg/l",
                    reported_field="cod",
                    tolerance=20,
                    compliant_max=Decimal("120"),
                ),
                _figure(
                    "WW-12",
                    "สารแขวนลอย (TSS) ในน้ำทิ้ง",
                    "Total suspended solids (TSS) in the effluent",
                    EFFLUENT_NOTICE,
                    SAMPLE_NOTE + " ค่ามาตรฐานทั่วไป: ไม่เกิน 50 mg/l" + EFFLUENT_LIMIT_NOTE,
                    unit="mg/l",
                    reported_field="tss",
                    tolerance=20,
                    compliant_max=Decimal("50"),
                ),
                _figure(
                    "WW-13",
                    "ความเป็นกรด-ด่าง (pH) ของน้ำทิ้ง",
                    "pH of the effluent",
                    EFFLUENT_NOTICE,
                    "วัด ณ จุดระบายออกในวันตรวจด้วยเครื่องวัด pH ที่สอบเทียบแล้ว (หรือกระดาษวัด pH ถ้าไม่มีเครื่อง"
                    " โดยระบุไว้ในหมายเหตุ) ระบบจะเทียบกับค่าที่โรงงานรายงานเองและแจ้งเตือนเมื่อต่างกันเกินร้อยละ 20"
                    " ค่ามาตรฐานทั่วไป: 5.5–9.0" + EFFLUENT_LIMIT_NOTE,
                    unit="pH",
                    reported_field="ph",
                    tolerance=20,
                    compliant_min=Decimal("5.5"),
                    compliant_max=Decimal("9.0"),
                ),
                _item(
                    "WW-14",
                    AnswerType.CHOICE,
                    "สี กลิ่น และความขุ่นของน้ำทิ้ง ณ จุดระบายออก",
                    "Colour, odour and turbidity of the effluent at the outlet",
                    EFFLUENT_NOTICE,
                    "สังเกตขณะเก็บตัวอย่าง: “ใส ไม่มีกลิ่น” เมื่อน้ำใสและไม่มีกลิ่น; “ขุ่นเล็กน้อย ไม่มีกลิ่นเหม็น”"
                    " เมื่อมีตะกอนแขวนลอยบ้าง; “ขุ่นมาก มีสี หรือมีกลิ่นเหม็น” เมื่อน้ำมีสีผิดธรรมชาติ มีกลิ่นเหม็น"
                    " มีคราบน้ำมัน หรือมีฟองมาก ให้ถ่ายภาพและเก็บตัวอย่างส่งวิเคราะห์",
                    choices=["ใส ไม่มีกลิ่น", "ขุ่นเล็กน้อย ไม่มีกลิ่นเหม็น", "ขุ่นมาก มีสี หรือมีกลิ่นเหม็น"],
                    noncompliant_answers=["ขุ่นมาก มีสี หรือมีกลิ่นเหม็น"],
                    severity=Severity.MAJOR,
                    weight=Decimal(1),
                ),
                _item(
                    "WW-15",
                    AnswerType.PHOTO,
                    "ภาพถ่ายการเก็บตัวอย่างน้ำทิ้ง ณ จุดระบายออกนอกโรงงาน",
                    "Photo of the effluent being sampled at the factory outlet",
                    EFFLUENT_NOTICE,
                    "ถ่ายขณะเก็บตัวอย่างให้เห็นจุดเก็บ ภาชนะที่ติดฉลากตัวอย่าง (วันที่ เวลา จุดเก็บ) และผู้แทนโรงงาน"
                    "ที่ร่วมเป็นพยาน เพื่อใช้เป็นหลักฐานหากผลวิเคราะห์เกินมาตรฐาน",
                    photo_required=True,
                    weight=Decimal(0),
                ),
            ],
        ),
    ],
}

DEMO_CHECKLISTS = [GENERAL, WASTEWATER]


def load_demo_checklists(*, by: Person) -> list[ChecklistVersion]:
    """Create and publish the demo checklists whose code does not exist yet; returns the published
    versions it made (none on a second run)."""
    known = set(ChecklistTemplate.objects.values_list("code", flat=True))
    return [_build(spec, by=by) for spec in DEMO_CHECKLISTS if spec["code"] not in known]


@transaction.atomic
def _build(spec: dict, *, by: Person) -> ChecklistVersion:
    version = checklists.checklist_create(
        code=spec["code"], title_th=spec["title_th"], title_en=spec["title_en"], description=spec["description"], by=by
    )
    checklists.ensure_editable(version)
    for order, (title_th, title_en, items) in enumerate(spec["sections"], start=1):
        section = ChecklistSection.objects.create(version=version, order=order, title_th=title_th, title_en=title_en)
        ChecklistItem.objects.bulk_create(
            ChecklistItem(section=section, order=n, **item) for n, item in enumerate(items, start=1)
        )
    return checklists.version_publish(version=version, by=by)
