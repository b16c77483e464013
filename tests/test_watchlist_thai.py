"""Names written in Thai script (:mod:`edge.watchlist.thai`) spelt as said, in the Royal Thai
General System (RTGS), and letter by letter as written besides — and what that changes for the
screener; and names in Lao script, read as the Thai letters they match.

The names are public figures' (prime ministers, ministers, party leaders) with the RTGS
transcription their articles give, and the Latin spelling they use themselves; a table of
letters alone (anyascii) spells ``สุเทพ เทือกสุบรรณ`` ETHUEOKSUBRRN, ``สมชาย`` SMCHAY.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import screened_ids
from hypothesis import given
from hypothesis import strategies as st

from edge.watchlist import normalize, screen, scripts
from edge.watchlist.normalize import as_written, renderings, to_mrz
from edge.watchlist.screen import DECIDE, name_similarity
from edge.watchlist.scripts import spelt_by_sound
from edge.watchlist.thai import thai_words


@pytest.mark.parametrize(
    ("written", "latin"),
    [
        ("ประยุทธ์ จันทร์โอชา", "PRAYUT CHANOCHA"),  # ธ์, ทร์ silent; โอ O
        ("ประวิตร วงษ์สุวรรณ", "PRAWIT WONGSUWAN"),  # the last ร silent; unwritten O; รร AN
        ("สมชาย วงศ์สวัสดิ์", "SOMCHAI WONGSAWAT"),  # ย as a final I; unwritten A (SA-WAT)
        ("ชวน หลีกภัย", "CHUAN LIKPHAI"),  # ว between consonants UA; a silent ห before ล
        ("สุเทพ เทือกสุบรรณ", "SUTHEP THUEAKSUBAN"),  # leading vowels after their consonant
        ("ธนาธร จึงรุ่งเรืองกิจ", "THANATHON CHUENGRUNGRUEANGKIT"),  # ธร THON; tones dropped
        ("พิธา ลิ้มเจริญรัตน์", "PHITHA LIMCHAROENRAT"),  # เจริญ CHA-ROEN
        ("อภิสิทธิ์ เวชชาชีวะ", "APHISIT WETCHACHIWA"),  # อ a vowel's bearer
        ("แพทองธาร", "PHAETHONGTHAN"),  # อ said O
        ("แปลก พิบูลสงคราม", "PLAEK PHIBUNSONGKHRAM"),  # clusters PL, KHR
        ("เกรียงศักดิ์ ชมะนันทน์", "KRIANGSAK CHAMANAN"),  # เ-ีย IA; ดิ์ silent with its vowel
        ("ธานินทร์ กรัยวิเชียร", "THANIN KRAIWICHIAN"),
        ("อุทัย พิมพ์ใจชน", "UTHAI PHIMCHAICHON"),  # ใ AI
        ("สุดารัตน์ เกยุราพันธุ์", "SUDARAT KEYURAPHAN"),
        ("เฉลิม อยู่บำรุง", "CHALOEM YUBAMRUNG"),  # อย Y; ำ AM (NFKC writes it as two signs)
        ("ยงยุทธ วิชัยดิษฐ", "YONGYUT WICHAIDIT"),  # a T after a T ending a word is silent
        ("ภูมิพล", "PHUMIPHON"),  # but two other consonants end on a syllable of their own
        ("จตุพร", "CHATUPHON"),  # พร said PHON after a short vowel too
        ("ปิยบุตร", "PIYABUT"),  # ย after I starts a syllable; ตร at the end T
        ("ไชย", "CHAI"),  # ไ-ย
        ("เสถียร", "SATHIAN"),  # a consonant before one with the leading vowel says A
        ("ศรีสุวรรณ", "SRISUWAN"),  # ศร keeps the R names write (RTGS SI)
        ("หลวง", "LUANG"),  # ห before a sonorant that has a vowel unwritten: the tone only
        ("หมอ", "MO"),
        ("หมด", "MOT"),
        ("หงส์", "HONG"),  # ... but the ห of a sonorant with no vowel says it
        ("หรรษา", "HANSA"),
    ],
)
def test_thai_names_are_spelt_as_said(written: str, latin: str) -> None:
    assert to_mrz(written) == latin


@given(st.text(st.characters(min_codepoint=0x0E01, max_codepoint=0x0E4E), max_size=30))
def test_any_run_of_thai_is_spelt_in_latin_capitals(text: str) -> None:
    """Any order of the block's letters and signs — a leading vowel last, ``์`` first, signs
    with no consonant — is spelt, never raises (digits and marks after them are anyascii's)."""
    for spelt in (thai_words(text), thai_words(text, by_letter=True)):
        assert all(c.isascii() and not c.islower() for c in spelt if not c.isspace())
    assert set(to_mrz(text)) <= set("ABCDEFGHIJKLMNOPQRSTUVWXYZ ")


def test_a_thai_name_is_also_rendered_after_its_letters() -> None:
    """After its letters in the order said (a last ร kept, the silenced letters not) and as
    written (anyascii, the silenced ones too), the forms of names spelt after their Sanskrit
    letters; a name with no Thai letter has no such rendering."""
    assert renderings("ทักษิณ ชินวัตร") == ("THAKSIN CHINWAT", "THAKSIN CHINWATR")
    assert as_written("ยิ่งลักษณ์ ชินวัตร") == ("YINGLAK CHINWATR", "YINGLAKSN CHINWATR")
    assert as_written("Thaksin Shinawatra") == () and as_written("Тайланд") == ()


@pytest.mark.parametrize(
    ("written", "said", "lettered"),
    [
        ("ชิดชอบ", "CHITCHOP", "CHIDCHOB"),  # ด, บ ending a syllable as their letters
        ("ภูมิพล", "PHUMIPHON", "PHUMIPHOL"),
        ("ชินวัตร", "CHINWAT", "CHINWATR"),  # the last ร kept
        ("ปิยบุตร", "PIYABUT", "PIYABUTR"),
        ("ยุทธ", "YUT", "YUTHTH"),
        ("ยิ่งลักษณ์", "YINGLAK", "YINGLAK"),  # the silenced letters left out
        ("ไชย", "CHAI", "CHAI"),  # ย after a vowel as I, as said
        ("กาญจนา", "KANCHANA", "KANCHANA"),  # ญ as N
    ],
)
def test_names_are_spelt_after_their_letters_in_the_order_said(
    written: str, said: str, lettered: str
) -> None:
    assert thai_words(written).split() == [said]
    assert thai_words(written, by_letter=True).split() == [lettered]


@pytest.mark.parametrize(
    ("written", "said"),
    [
        ("แก้ว", "KAEO"),  # the mark on ก: ก alone starts the syllable, ว ends it
        ("ศรีแก้ว", "SRIKAEO"),
        ("แกว่ง", "KWAENG"),  # the mark on ว: กว a cluster
        ("กล้า", "KLA"),
        ("ลิ้มเจริญรัตน์", "LIMCHAROENRAT"),  # a mark after a vowel sign
    ],
)
def test_a_tone_mark_tells_where_a_syllable_starts(written: str, said: str) -> None:
    """A tone mark stands on the last consonant of a syllable's onset: ``แก้ว`` was read as the
    cluster กว (KWAE) once the marks were dropped."""
    assert thai_words(written).split() == [said]


@pytest.mark.parametrize(
    ("query", "listed"),
    [
        ("สุเทพ เทือกสุบรรณ", "Suthep Thaugsuban"),  # anyascii: ETHUEOKSUBRRN, 0.21
        ("ธนาธร จึงรุ่งเรืองกิจ", "Thanathorn Juangroongruangkit"),  # 0.19
        ("พิธา ลิ้มเจริญรัตน์", "Pita Limjaroenrat"),  # 0.19
        ("เฉลิม อยู่บำรุง", "Chalerm Yubamrung"),  # 0.29
        ("พงศ์เทพ เทพกาญจนา", "Pongthep Thepkanjana"),  # 0.00
        ("บรรหาร ศิลปอาชา", "Banharn Silpa-archa"),  # 0.30
    ],
)
def test_a_thai_name_finds_the_latin_one_as_said(
    query: str, listed: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    with monkeypatch.context() as m:
        m.setattr(scripts, "thai_words", lambda text, by_letter=False: text)  # anyascii alone
        assert _score(query, listed) < DECIDE
    assert _score(query, listed) >= DECIDE


@pytest.mark.parametrize(
    ("query", "listed", "form"),
    [
        # Shinawatra spells the ร that ชินวัตร does not say (RTGS CHINNAWAT)
        ("ทักษิณ ชินวัตร", "Thaksin Shinawatra", ""),
        # ... and Yingluck leaves out the silenced letters that anyascii writes (YINGLAKSN)
        ("ยิ่งลักษณ์ ชินวัตร", "Yingluck Shinawatra", "lettered"),
        # ... and Piromya writes the silenced ย that the letters in the order said leave out
        ("กษิต ภิรมย์", "Kasit Piromya", "written"),
    ],
)
def test_a_thai_name_finds_the_latin_one_spelt_after_its_letters(
    query: str, listed: str, form: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Only a rendering after the letters finds them: without all of them (``""``), or without
    the ``form`` named, the name is missed."""
    forms = dict(zip(("lettered", "written"), as_written(query), strict=True)) if form else {}
    kept = tuple(f for how, f in forms.items() if how != form)
    with monkeypatch.context() as m:
        m.setattr(normalize, "as_written", lambda text: kept if spelt_by_sound(text) else ())
        m.setattr(screen, "as_written", lambda text: kept if spelt_by_sound(text) else ())
        assert _score(query, listed) < DECIDE
        assert _score(listed, query) < DECIDE
    assert _score(query, listed) >= DECIDE and _score(listed, query) >= DECIDE


PUBLIC_FIGURES = [
    ("ทักษิณ ชินวัตร", "Thaksin Shinawatra"),
    ("แพทองธาร ชินวัตร", "Paetongtarn Shinawatra"),
    ("ประยุทธ์ จันทร์โอชา", "Prayut Chan-o-cha"),
    ("ประวิตร วงษ์สุวรรณ", "Prawit Wongsuwan"),
    ("อนุทิน ชาญวีรกูล", "Anutin Charnvirakul"),
    ("เศรษฐา ทวีสิน", "Srettha Thavisin"),
    ("สมชาย วงศ์สวัสดิ์", "Somchai Wongsawat"),
    ("สุรยุทธ์ จุลานนท์", "Surayud Chulanont"),
    ("ชวน หลีกภัย", "Chuan Leekpai"),
    ("บรรหาร ศิลปอาชา", "Banharn Silpa-archa"),
    ("ชวลิต ยงใจยุทธ", "Chavalit Yongchaiyudh"),
    ("อานันท์ ปันยารชุน", "Anand Panyarachun"),
    ("ชาติชาย ชุณหะวัณ", "Chatichai Choonhavan"),
    ("เปรม ติณสูลานนท์", "Prem Tinsulanonda"),
    ("พิธา ลิ้มเจริญรัตน์", "Pita Limjaroenrat"),
    ("ธนาธร จึงรุ่งเรืองกิจ", "Thanathorn Juangroongruangkit"),
    ("สุเทพ เทือกสุบรรณ", "Suthep Thaugsuban"),
    ("สนธิ บุญยรัตกลิน", "Sonthi Boonyaratglin"),
    ("สุจินดา คราประยูร", "Suchinda Kraprayoon"),
    ("ถนอม กิตติขจร", "Thanom Kittikachorn"),
    ("สฤษดิ์ ธนะรัชต์", "Sarit Thanarat"),
    ("จำลอง ศรีเมือง", "Chamlong Srimuang"),
    ("ปิยบุตร แสงกนกกุล", "Piyabutr Saengkanokkul"),
    ("สนธิ ลิ้มทองกุล", "Sondhi Limthongkul"),
    ("กรณ์ จาติกวณิช", "Korn Chatikavanij"),
    ("ณัฐวุฒิ ใสยเกื้อ", "Nattawut Saikua"),
    ("สมคิด จาตุศรีพิทักษ์", "Somkid Jatusripitak"),
    ("ดอน ปรมัตถ์วินัย", "Don Pramudwinai"),
    ("เนวิน ชิดชอบ", "Newin Chidchob"),
    ("ยงยุทธ วิชัยดิษฐ", "Yongyuth Wichaidit"),
    ("สุชาติ ตันเจริญ", "Suchart Tancharoen"),
    ("ประยุทธ์ จันทร์โอชา", "Prayuth Chan-ocha"),
    ("ปรีดี พนมยงค์", "Pridi Banomyong"),
    ("แปลก พิบูลสงคราม", "Plaek Phibunsongkhram"),
    ("สัญญา ธรรมศักดิ์", "Sanya Dharmasakti"),
    ("เกรียงศักดิ์ ชมะนันทน์", "Kriangsak Chamanan"),
    ("ธานินทร์ กรัยวิเชียร", "Thanin Kraivichien"),
    ("อุทัย พิมพ์ใจชน", "Uthai Pimchaichon"),
    ("พงศ์เทพ เทพกาญจนา", "Pongthep Thepkanjana"),
    ("สุดารัตน์ เกยุราพันธุ์", "Sudarat Keyuraphan"),
    ("ชูวิทย์ กมลวิศิษฎ์", "Chuvit Kamolvisit"),
    ("เฉลิม อยู่บำรุง", "Chalerm Yubamrung"),
    ("ศักดิ์สยาม ชิดชอบ", "Saksayam Chidchob"),
]
"""Thai politicians' and officers' names in Thai and the Latin spelling each uses: 43 of the 50
looked at (34 found with anyascii alone, 37 as said only), and Yingluck Shinawatra's (the test
above) a forty-fourth since a form after the letters drops the silenced ones. The six others:
Abhisit Vejjajiva, Samak Sundaravej, Bhumibol Adulyadej (spelt after Sanskrit letters: ช as J,
ท as D, พ as B), Chadchart Sittipunt and Wissanu Krea-ngam (a final said twice, a silent
vowel), Jatuporn Prompan (พรหม PHROM read as PHON-HOM). The rules were written looking at
these names: no Thai name set was held out then."""

THAI_NOT_LOOKED_AT = [
    # Written down before the form after the letters in the order said first ran on them:
    # 34 of 40 found before, 34 with that form in place of anyascii's (Pirapan Salirathavibhaga
    # gained, Kasit Piromya lost: anyascii writes its silenced ย), 35 with both forms, which
    # was decided after seeing that. The five missed: Jurin Laksanawisit, Parnpree
    # Bahiddha-Nukara, Thamanat Prompow, Sukhumbhand Paribatra, Dhanin Chearavanont.
    ("สมศักดิ์ เทพสุทิน", "Somsak Thepsuthin"),
    ("ภูมิธรรม เวชยชัย", "Phumtham Wechayachai"),
    ("อนุพงษ์ เผ่าจินดา", "Anupong Paochinda"),
    ("สุริยะ จึงรุ่งเรืองกิจ", "Suriya Juangroongruangkit"),
    ("พีระพันธุ์ สาลีรัฐวิภาค", "Pirapan Salirathavibhaga"),
    ("เฉลิมชัย ศรีอ่อน", "Chalermchai Sri-on"),
    ("มีชัย ฤชุพันธุ์", "Meechai Ruchupan"),
    ("สุรเกียรติ์ เสถียรไทย", "Surakiart Sathirathai"),
    ("กษิต ภิรมย์", "Kasit Piromya"),
    ("วราวุธ ศิลปอาชา", "Varawut Silpa-archa"),
    ("อภิรักษ์ โกษะโยธิน", "Apirak Kosayodhin"),
    ("อัศวิน ขวัญเมือง", "Aswin Kwanmuang"),
    ("เสนีย์ ปราโมช", "Seni Pramoj"),
    ("คึกฤทธิ์ ปราโมช", "Kukrit Pramoj"),
    ("ประภาส จารุเสถียร", "Praphas Charusathien"),
    ("ทวี สอดส่อง", "Tawee Sodsong"),
    ("สุทิน คลังแสง", "Sutin Klungsang"),
    ("รังสิมันต์ โรม", "Rangsiman Rome"),
    ("ศิริกัญญา ตันสกุล", "Sirikanya Tansakul"),
    ("ชลน่าน ศรีแก้ว", "Cholnan Srikaew"),
    ("ณัฏฐพล ทีปสุวรรณ", "Nataphol Teepsuwan"),
    ("อนุชา นาคาศัย", "Anucha Nakasai"),
    ("อาคม เติมพิทยาไพสิฐ", "Arkhom Termpittayapaisith"),
    ("เทวัญ ลิปตพัลลภ", "Tewan Liptapanlop"),
    ("จาตุรนต์ ฉายแสง", "Chaturon Chaisang"),
    ("ธิดา ถาวรเศรษฐ์", "Thida Thavornseth"),
    ("วีระ สมความคิด", "Veera Somkwamkid"),
    ("ศุภชัย พานิชภักดิ์", "Supachai Panitchpakdi"),
    ("เจริญ สิริวัฒนภักดี", "Charoen Sirivadhanabhakdi"),
    ("พจน์ สารสิน", "Pote Sarasin"),
    ("ชัยเกษม นิติสิริ", "Chaikasem Nitisiri"),
    ("สุพัฒนพงษ์ พันธ์มีเชาว์", "Supattanapong Punmeechaow"),
    ("ไพบูลย์ นิติตะวัน", "Paiboon Nititawan"),
    ("สันติ พร้อมพัฒน์", "Santi Promphat"),
    ("ยุทธศักดิ์ ศศิประภา", "Yuthasak Sasiprapha"),
]


@pytest.mark.parametrize(("thai", "latin"), PUBLIC_FIGURES + THAI_NOT_LOOKED_AT)
def test_public_figures_are_found_by_the_spelling_they_use(thai: str, latin: str) -> None:
    assert _score(thai, latin) >= DECIDE
    assert _score(latin.upper(), thai) >= DECIDE  # a passport's name against the Thai listing


def _score(query: str, listed: str) -> float:
    scripts.romanise.cache_clear()
    normalize._icao.cache_clear()  # the ICAO rendering, romanised
    renderings.cache_clear()
    return name_similarity({"name": query}, [listed])[0]


def test_the_screener_finds_them_both_ways(tmp_path: Path) -> None:
    """Through the index: a query in Thai finds the person listed in Latin letters, and a
    passport's Latin name the person listed in Thai — as said and as written."""
    listed = {
        "suthep": "Suthep Thaugsuban",
        "prayut": "CHAN-O-CHA, Prayut",
        "thaksin": "Thaksin Shinawatra",
        "pita": "พิธา ลิ้มเจริญรัตน์",
        "chuan": "ชวน หลีกภัย",
        "shin": "ทักษิณ ชินวัตร",
    }
    queries = {
        "สุเทพ เทือกสุบรรณ": {"suthep"},
        "ประยุทธ์ จันทร์โอชา": {"prayut"},
        "ทักษิณ ชินวัตร": {"thaksin", "shin"},
        "LIMJAROENRAT PITA": {"pita"},
        "LEEKPAI CHUAN": {"chuan"},
        "SHINAWATRA THAKSIN": {"thaksin", "shin"},
    }
    assert screened_ids(tmp_path / "wl.db", listed, queries) == queries


LAO_PUBLIC_FIGURES = [  # looked at while the mapping was written
    ("ໄກສອນ ພົມວິຫານ", "Kaysone Phomvihane"),
    ("ສຸພານຸວົງ", "Souphanouvong"),
    ("ທອງລຸນ ສີສຸລິດ", "Thongloun Sisoulith"),
    ("ບຸນຍັງ ວໍລະຈິດ", "Bounnhang Vorachith"),
    ("ສອນໄຊ ສີພັນດອນ", "Sonexay Siphandone"),
    # written down with the nine below and missed in their first run (0.31, SALIAMSAI): the
    # rule for ເ–ີ OE was written for it after that run
    ("ສະເລີມໄຊ ກົມມະສິດ", "Saleumxay Kommasith"),
]
LAO_NOT_LOOKED_AT = [  # written down before the mapping first ran on them: all 9 found
    ("ພັນຄຳ ວິພາວັນ", "Phankham Viphavanh"),
    ("ຈູມມະລີ ໄຊຍະສອນ", "Choummaly Sayasone"),
    ("ບົວສອນ ບຸບຜາວັນ", "Bouasone Bouphavanh"),
    ("ຄຳໄຕ ສີພັນດອນ", "Khamtai Siphandone"),
    ("ໜູຮັກ ພູມສະຫວັນ", "Nouhak Phoumsavanh"),
    ("ສີສະຫວາດ ແກ້ວບຸນພັນ", "Sisavath Keobounphanh"),
    ("ປານີ ຢາທໍ່ຕູ້", "Pany Yathotou"),
    ("ທອງສິງ ທຳມະວົງ", "Thongsing Thammavong"),
    ("ບຸນທອງ ຈິດມະນີ", "Bounthong Chitmany"),
]


@pytest.mark.parametrize(
    ("lao", "latin"),
    [
        ("ໄກສອນ", "KAISON"),  # ໄ read after its consonant, as Thai ไ
        ("ພົມວິຫານ", "PHOMWIHAN"),  # ົ the short O of a closed syllable
        ("ວຽງຈັນ", "WIANGCHAN"),  # ຽ IA
        ("ບົວ", "BUA"),  # ົວ UA
        ("ໜູຮັກ", "NUHAK"),  # ໜ a tone-marking H before N
        ("ໄຊ", "SAI"),  # ຊ is S
        ("ສະເລີມ", "SALOEM"),  # ເ–ີ OE, as Thai เ–ิ
    ],
)
def test_lao_names_are_spelt_as_thai_ones(lao: str, latin: str) -> None:
    assert to_mrz(lao) == latin


@pytest.mark.parametrize(("lao", "latin"), LAO_PUBLIC_FIGURES + LAO_NOT_LOOKED_AT)
def test_lao_public_figures_are_found_by_the_spelling_they_use(lao: str, latin: str) -> None:
    """Lao script read as its sister, Thai (:func:`~edge.watchlist.thai.lao_as_thai`); anyascii
    alone spelt ``ໄກສອນ ພົມວິຫານ`` AIKSN PHOMVIHAN, 0.39 against Kaysone Phomvihane."""
    assert _score(lao, latin) >= DECIDE
    assert _score(latin.upper(), lao) >= DECIDE


@given(st.text(st.characters(min_codepoint=0x0E80, max_codepoint=0x0EFF), max_size=30))
def test_any_run_of_lao_is_spelt_in_latin_capitals(text: str) -> None:
    """Any order of the block's letters and signs — a vowel sign first, ຽ on nothing — is
    spelt, never raises."""
    assert set(to_mrz(text)) <= set("ABCDEFGHIJKLMNOPQRSTUVWXYZ ")
