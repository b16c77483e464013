"""Foreign names written in Greek letters read back as Greek writes their sounds
(:func:`edge.watchlist.loanwords.greek_loan`) — and what that changes for the screener.

Greek has no letter for B, D, G, J, CH, U or H and writes a foreign name's with two (ΜΠ, ΝΤ,
ΓΚ, ΤΖ, ΤΣ, ΟΥ) or another (Χ); ELOT 743, the ICAO rendering, spells those letter by letter,
``Τζο Μπάιντεν`` TZO BAINTEN. The names are public figures', Greek and foreign, as the Greek
press writes them, with the Latin spelling they use, all written down before the reading was
run (issue 17's thirty-third part): 30 of 47 were found both ways before, 44 now. Not found:
George Bush (JORJ BUS), Kim Jong Un (Γιονγκ YONG), Jacques Chirac (Ζακ Σιράκ ZAK SIRAK: French
J and CH as Greek hears them). Among all 47 no name is found for another (0 of 2,162 pairs).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import found_for_another, found_without, scores_both_ways, screened_ids
from hypothesis import given
from hypothesis import strategies as st

from edge.watchlist import normalize
from edge.watchlist.loanwords import greek_loan
from edge.watchlist.normalize import renderings
from edge.watchlist.screen import DECIDE

GREEK = [
    ("Ντόρα Μπακογιάννη", "Dora Bakoyannis"),
    ("Κώστας Μπακογιάννης", "Kostas Bakoyannis"),
    ("Ευάγγελος Βενιζέλος", "Evangelos Venizelos"),
    ("Γιάννης Αντετοκούνμπο", "Giannis Antetokounmpo"),
    ("Θανάσης Αντετοκούνμπο", "Thanasis Antetokounmpo"),
    ("Ντόναλντ Τραμπ", "Donald Trump"),
    ("Τζο Μπάιντεν", "Joe Biden"),
    ("Μπαράκ Ομπάμα", "Barack Obama"),
    ("Άνγκελα Μέρκελ", "Angela Merkel"),
    ("Μπόρις Τζόνσον", "Boris Johnson"),
    ("Εμανουέλ Μακρόν", "Emmanuel Macron"),
    ("Τζόρτζια Μελόνι", "Giorgia Meloni"),
    ("Βλαντιμίρ Πούτιν", "Vladimir Putin"),
    ("Ρετζέπ Ταγίπ Ερντογάν", "Recep Tayyip Erdogan"),
    ("Ντμίτρι Μεντβέντεφ", "Dmitry Medvedev"),
    ("Μπασάρ αλ-Άσαντ", "Bashar al-Assad"),
    ("Οσάμα μπιν Λάντεν", "Osama bin Laden"),
    ("Αμπού Μπακρ αλ-Μπαγκντάντι", "Abu Bakr al-Baghdadi"),
    ("Σαντάμ Χουσεΐν", "Saddam Hussein"),
    ("Σι Τζινπίνγκ", "Xi Jinping"),
    ("Αλεξέι Ναβάλνι", "Alexei Navalny"),
    ("Βολοντίμιρ Ζελένσκι", "Volodymyr Zelensky"),
    ("Μαχμούντ Αμπάς", "Mahmoud Abbas"),
    ("Αλί Χαμενεΐ", "Ali Khamenei"),
    ("Γιώργος Σεφέρης", "Giorgos Seferis"),
    ("Μίκης Θεοδωράκης", "Mikis Theodorakis"),
    ("Αλέξης Τσίπρας", "Alexis Tsipras"),
    ("Κυριάκος Μητσοτάκης", "Kyriakos Mitsotakis"),
    ("Γιάνης Βαρουφάκης", "Yanis Varoufakis"),
    ("Αντώνης Σαμαράς", "Antonis Samaras"),
    ("Στέφανος Τσιτσιπάς", "Stefanos Tsitsipas"),
    ("Μαρία Σάκκαρη", "Maria Sakkari"),
    ("Έλον Μασκ", "Elon Musk"),
    ("Μπιλ Γκέιτς", "Bill Gates"),
    ("Τζεφ Μπέζος", "Jeff Bezos"),
    ("Γκρέτα Τούνμπεργκ", "Greta Thunberg"),
    ("Μαρκ Ζάκερμπεργκ", "Mark Zuckerberg"),
    ("Ρόμπερτ Μουγκάμπε", "Robert Mugabe"),
    ("Χασάν Νασράλα", "Hassan Nasrallah"),
    ("Γιάσερ Αραφάτ", "Yasser Arafat"),
    ("Μουαμάρ Καντάφι", "Muammar Gaddafi"),
    ("Χόσνι Μουμπάρακ", "Hosni Mubarak"),
    ("Νέλσον Μαντέλα", "Nelson Mandela"),
    ("Ρομπέρτο Μπάτζιο", "Roberto Baggio"),
]
NOT_FOUND = [
    ("Τζορτζ Μπους", "George Bush"),
    ("Κιμ Γιονγκ Ουν", "Kim Jong Un"),
    ("Ζακ Σιράκ", "Jacques Chirac"),
]


@pytest.mark.parametrize(
    ("written", "read"),
    [
        ("Μπαράκ Ομπάμα", "BARAK OBAMA"),  # ΜΠ: B
        ("Ντόναλντ Τραμπ", "DONALD TRAMP"),  # ΝΤ: D; a last ΜΠ: MP
        ("Αμπού Μπακρ αλ-Μπαγκντάντι", "ABU BAKR AL-BAGDADI"),  # ΟΥ: U; ΓΚ: G
        ("Σι Τζινπίνγκ", "SI JINPING"),  # ΤΖ: J; ΝΓΚ: NG
        ("Σαντάμ Χουσεΐν", "SADAM HUSEIN"),  # Χ: H
        ("Τσε Γκεβάρα", "CHE GEVARA"),  # ΤΣ: CH
        ("Γιάσερ Αραφάτ", "YASER ARAFAT"),  # ΓΙ before a vowel: Y
        ("Ευάγγελος", "EVANGELOS"),  # the rest by ELOT 743
    ],
)
def test_greek_is_read_as_it_writes_a_foreign_name(written: str, read: str) -> None:
    assert greek_loan(written) == read


def test_the_reading_is_one_rendering_beside_elot() -> None:
    assert renderings("Τζο Μπάιντεν") == ("TZO BAINTEN", "JO BAIDEN")
    assert renderings("Αντώνης Σαμαράς") == ("ANTONIS SAMARAS", "ADONIS SAMARAS")


@pytest.mark.parametrize(("written", "latin"), GREEK)
def test_names_in_greek_letters_are_found_both_ways(written: str, latin: str) -> None:
    assert min(scores_both_ways(written, latin)) >= DECIDE


@pytest.mark.parametrize(("written", "latin"), GREEK[6:8] + GREEK[14:19])
def test_the_reading_is_what_finds_them(
    written: str, latin: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    taken = [(normalize, "loan_readings", lambda text: ())]
    assert found_without(monkeypatch, taken, written, latin) == (False, True)


def test_no_name_is_found_for_another() -> None:
    assert found_for_another(GREEK + NOT_FOUND) == []


def test_the_screener_finds_them_both_ways(tmp_path: Path) -> None:
    listed = {"saddam": "Σαντάμ Χουσεΐν", "medvedev": "Ντμίτρι Μεντβέντεφ", "biden": "BIDEN, Joe"}
    queries = {
        "SADDAM HUSSEIN": {"saddam"},  # a passport's MRZ
        "DMITRY MEDVEDEV": {"medvedev"},
        "Τζο Μπάιντεν": {"biden"},  # a Greek-language record
        "SADDAM HAFTAR": set(),
    }
    assert screened_ids(tmp_path / "wl.db", listed, queries) == queries


@given(st.text(st.characters(min_codepoint=0x370, max_codepoint=0x3FF), max_size=20))
def test_any_greek_is_read_in_latin_capitals(text: str) -> None:
    read = " ".join(renderings(text + " Μπους"))
    assert read and set(read) <= set("ABCDEFGHIJKLMNOPQRSTUVWXYZ ")
