"""Word lists of names, written for Borderpost from public facts (no third-party data file).

* ``TITLES`` — titles, honorifics, ranks and suffixes that sanctions lists and travellers
  put before or after a name (President, Dr., Sheikh, Mullah, Haji, Jr. …). They say nothing
  about who a person is, so they are dropped from names before matching (never all tokens).
* ``HONORIFIC_NAMES`` — honorifics that are names too (Akhund, Sahib, Bhai, Baba): kept, but
  no evidence of another person where only one side writes them.
* ``PARTICLES`` — name particles (al, bin, ibn, ould, van, de, von …). They stay in the name
  but weigh little: sharing ``AL`` is no evidence of being the same person.
* ``EQUIVALENTS`` — one given name as other languages write it (JACOB / YAKOV / YAQUB,
  PETER / PYOTR / PEDRO), as any dictionary of names gives it: another name, not another
  spelling, so it is a table of its own.
* ``FEMININE_FORMS`` — women's given names made of men's (LUISA of LUIS, JULIA of JULIO):
  another name, not a spelling, as any dictionary of names gives them.
* ``COMMONEST_NAMES`` — the given names millions share; a listed name of those alone is weak
  evidence.
* ``NICKNAMES`` — common short forms and diminutives of given names (English, Russian,
  Spanish, Italian, Arabic), label → short forms, as found in any name dictionary; and the written
  abbreviation of the Burmese name word Maung (MG), as Myanmar writes it on lists.
"""

from __future__ import annotations

TITLES = frozenset({
    "MR", "MRS", "MS", "MISS", "DR", "PROF", "PROFESSOR", "PRESIDENT", "SHEIKH", "SHAIKH",
    "SHAYKH", "SHEIK", "SHEIKHA", "MULLAH", "MULLA", "MAULANA", "MAWLAWI", "MAULAWI",
    "MAULVI", "MOLVI", "MAWLAVI", "MAULAVI", "QARI", "HAJI", "HAJJI", "HADJI", "ALHAJI", "USTADZ",
    "USTAD", "USTADH", "GENERAL", "GEN", "COLONEL", "COL", "CAPTAIN", "CAPT", "LT",
    "LIEUTENANT", "SERGEANT", "SGT", "SIR", "IMAM", "AYATOLLAH", "JR", "SR", "II", "III",
    "REV", "SENATOR", "MINISTER", "EMIR", "COMMANDER", "ENG", "ENGINEER",
    "HAJJ", "HADJ", "ALHAJJ", "ALHAJ", "ELHADJ", "ELHAJ", "DOCTOR", "MAJ", "BRIG",
    "BRIGADIER", "ADM", "ADMIRAL", "CPL", "CORPORAL", "PVT", "MAWLANA", "MOULANA",
    "MLA", "MWLWY", "MWLWA", "MWLANA", "SHYKH", "HAJY", "QARY", "DKTWR", "DKTR", "ASTAD",
    "AMAM", "JNRAL",
})  # fmt: skip
"""Upper-case title tokens, dropped before matching, with an article written before one
(AL HAJJ, EL HADJ); the last two rows are titles written in Arabic script as romanised
(``ملا`` MLA, ``شيخ`` SHYKH, ``مولوی`` MWLWY, ``دکتر`` DKTR), dropped as their Latin forms
are. Titles that are also common surnames or given names (Major, King, Lord,
Bishop, Prince, Hafiz, Mufti …) are left out on purpose; their abbreviations (MAJ) are not.

``INNER_TITLES`` are family names too (AL-HAJJ, Yahya): dropped only inside a name, with a
name before and after them (IBRAHIM, Al Hajj Alie; AS'AD, Hajj Sultan)."""
INNER_TITLES = frozenset({"HAJJ", "HADJ", "ALHAJJ", "ALHAJ", "ELHADJ", "ELHAJ"})

HONORIFIC_NAMES = frozenset({
    "AKHUND", "AKHOND", "AKHOUND", "SAHIB", "SAHEB", "BHAI", "BABA", "MZEE", "LALA",
})  # fmt: skip
"""Honorifics of South and Central Asia and East Africa written before or after a name —
Akhund (a cleric), Sahib (master), Bhai (brother), Baba (father, elder), Mzee (elder), Lala
(elder brother) — that are given names or surnames too, so not dropped as ``TITLES``: where
both names have one it is matched as any name, where only one side writes it it weighs as a
particle and tells no two people apart (``Mullah Mohammad Aman Ustad Noorzai`` / ``MOHAMMAD
AMAN AKHUND``, ``Dawood Bhai`` / ``DAWOOD IBRAHIM KASKAR``; :mod:`edge.watchlist.match`).
AGHA is not among them: it ends Persian family names (AGHAJANI, written AGHA-JANI), and left
over there it made three generated people alert on ``DAWOOD AGHA-JANI``."""

REMARK_WORDS = frozenset({
    "BORN", "PASSPORT", "LISTED", "PREVIOUSLY", "FORMERLY", "ORIGINAL", "SCRIPT", "COMBAT",
    "NAME", "NAMES", "ALIAS", "ALSO", "KNOWN", "SPELLING", "SPELT", "THIRD", "SECOND",
    "DECEASED", "NEE", "DATE", "ISSUE", "EXPIRY", "NATIONALITY", "CITIZEN", "RESIDENT",
    "RTD", "RETD", "RETIRED",
})  # fmt: skip
"""Words of a remark that a list writes in brackets after a name (``EL PARA (COMBAT NAME)``,
``… HAQQANI (previously listed as)``, ``born 1 Jan. 1953 (Oman passport no. …)``): a bracket
holding one is no name (:func:`edge.watchlist.normalize.bracketed`)."""

PARTICLES = frozenset({
    "AL", "EL", "BIN", "BEN", "IBN", "BINT", "BENT", "OULD", "VAN", "VON", "DER", "DEN",
    "DE", "DI", "DA", "DU", "DEL", "DELLA", "LA", "LE", "DOS", "DAS", "TER", "TEN", "ZU",
    "MAC", "AP", "BN", "BNT", "ABN",
})  # fmt: skip
"""Upper-case particle tokens; they weigh ``PARTICLE_WEIGHT`` in a name score. ``BN``,
``BNT``, ``ABN`` are بن, بنت, ابن romanised from Arabic script (no short vowels)."""

JOINED_ONTO_NEXT = frozenset({
    "ABO", "ABOU", "BW", "BU", "BOU", "BN", "BEN", "BIN", "ABN", "IBN", "EBN",
})  # fmt: skip
"""Particles Arabic script writes onto the next word (أبوغيث, بوزيد, بنعلي, ابنسينا) and
Latin lists write apart or joined, in Mashriqi and Maghrebi spellings (ABO / ABOU / BOU
GHAITH, BEN / BIN / IBN ALI): joined with the parts after them, never ending a word."""
JOINED_ONTO_LAST = frozenset({
    "ULLAH", "ULLA", "EDDINE", "EDDIN", "UDDIN", "UDDINE", "ADDIN", "ZADH", "ZADEH", "ZADE",
})  # fmt: skip
"""DIN and ALLAH with the article said as DIN's D (EDDINE, UDDIN) or as U (ULLAH), written
apart from the name before them (NOUR EDDINE, HAYAT ULLAH), and the Persian ZADEH, "son of"
(``آخوند زاده`` AKHWND ZADH / AKHUNDZADA): joined onto it, ending a word."""

NICKNAMES: dict[str, tuple[str, ...]] = {
    "ROBERT": ("BOB", "BOBBY", "ROB", "ROBBIE", "BERT"),
    "WILLIAM": ("BILL", "BILLY", "WILL", "WILLY", "LIAM"),
    "JAMES": ("JIM", "JIMMY", "JAMIE"),
    "MICHAEL": ("MIKE", "MICKEY", "MICK"),
    "RICHARD": ("DICK", "RICK", "RICKY", "RICH", "RICHIE"),
    "THOMAS": ("TOM", "TOMMY"),
    "ANTHONY": ("TONY",),
    "JOSEPH": ("JOE", "JOEY"),
    "DAVID": ("DAVE", "DAVEY"),
    "DANIEL": ("DAN", "DANNY"),
    "SAMUEL": ("SAM", "SAMMY"),
    "CHRISTOPHER": ("CHRIS",),
    "NICHOLAS": ("NICK", "NICKY"),
    "STEPHEN": ("STEVE", "STEVEN"),
    "EDWARD": ("ED", "EDDIE", "TED", "TEDDY", "NED"),
    "CHARLES": ("CHUCK", "CHARLIE"),
    "HENRY": ("HANK", "HARRY"),
    "JOHN": ("JACK", "JOHNNY"),
    "PETER": ("PETE",),
    "GREGORY": ("GREG",),
    "LAWRENCE": ("LARRY",),
    "FRANCIS": ("FRANK",),
    "PATRICK": ("PAT", "PADDY"),
    "ELIZABETH": ("LIZ", "LIZZIE", "BETH", "BETTY", "ELIZA"),
    "MARGARET": ("PEGGY", "MAGGIE", "MEG"),
    "KATHERINE": ("KATE", "KATIE", "KATHY", "CATHY"),
    "SUSAN": ("SUE", "SUSIE"),
    "ALEXANDER": ("ALEX", "SASHA", "SHURA"),
    "VLADIMIR": ("VOVA", "VOLODYA"),
    "DMITRI": ("DIMA",),
    "MIKHAIL": ("MISHA",),
    "NIKOLAI": ("KOLYA",),
    "SERGEI": ("SERYOZHA", "SEREZHA"),
    "PAVEL": ("PASHA",),
    "EVGENI": ("ZHENYA",),
    "IVAN": ("VANYA",),
    "ANNA": ("ANYA",),
    "NATALIA": ("NATASHA",),
    "TATIANA": ("TANYA",),
    "EKATERINA": ("KATYA",),
    "MARIA": ("MASHA",),
    "OLGA": ("OLYA",),
    "YURI": ("YURA",),
    "ALEKSEI": ("LYOSHA", "ALYOSHA"),
    "NADEZHDA": ("NADIA", "NADYA"),
    "MUHAMMAD": ("MO", "HAMMUDI"),
    "ABDULLAH": ("ABDO", "ABDOU"),
    "ABDUL": ("ABDO", "ABDOU"),
    "IGNACIO": ("NACHO",),
    "EDUARDO": ("LALO",),
    "JOSE": ("PEPE", "CHEPE"),
    "FRANCISCO": ("PACO", "PANCHO", "KIKO"),
    "WENCESLAO": ("WENCHO",),
    "JESUS": ("CHUCHO", "CHUY"),
    "GUILLERMO": ("MEMO",),
    "ALBERTO": ("BETO",),
    "ROBERTO": ("BETO",),
    "HUMBERTO": ("BETO",),
    "ANTONIO": ("TONO", "TONY"),
    "ENRIQUE": ("QUIQUE",),
    "VICENTE": ("CHENTE",),
    "MANUEL": ("MANOLO",),
    "RAFAEL": ("RAFA",),
    "SANTIAGO": ("CHAGO", "SANTI"),
    "DOLORES": ("LOLA",),
    "GUADALUPE": ("LUPE",),
    "MAUNG": ("MG",),
    "ANDREW": ("ANDY", "DREW"),
    "BENJAMIN": ("BENNY",),
    "DONALD": ("DON", "DONNIE"),
    "DOUGLAS": ("DOUG",),
    "FREDERICK": ("FRED", "FREDDIE", "FREDDY"),
    "GERALD": ("GERRY", "JERRY"),
    "JEFFREY": ("JEFF",),
    "JENNIFER": ("JEN", "JENNY"),
    "JONATHAN": ("JON", "JONNY"),
    "JOSHUA": ("JOSH",),
    "KENNETH": ("KEN", "KENNY"),
    "LEONARD": ("LEN", "LENNY", "LEO"),
    "MATTHEW": ("MATT",),
    "NATHANIEL": ("NATE", "NAT"),
    "PATRICIA": ("PATTY", "TRISH", "TRICIA"),
    "PHILIP": ("PHIL",),
    "RAYMOND": ("RAY",),
    "RONALD": ("RON", "RONNIE"),
    "TIMOTHY": ("TIM", "TIMMY"),
    "VICTORIA": ("VICKY", "TORI"),
    "ZACHARY": ("ZACH", "ZACK"),
    "ABRAHAM": ("ABE",),
    "DEBORAH": ("DEBBIE", "DEB"),
    "JUDITH": ("JUDY",),
    "ANASTASIA": ("NASTYA",),
    "SVETLANA": ("SVETA",),
    "LYUDMILA": ("LYUDA", "MILA"),
    "GALINA": ("GALYA",),
    "VALENTINA": ("VALYA",),
    "KONSTANTIN": ("KOSTYA",),
    "VIKTOR": ("VITYA",),
    "BORIS": ("BORYA",),
    "GRIGORI": ("GRISHA",),
    "YAKOV": ("YASHA",),
    "ANATOLI": ("TOLYA",),
    "VYACHESLAV": ("SLAVA",),
    "STANISLAV": ("STAS",),
    "ROMAN": ("ROMA",),
    "VITALI": ("VITALIK",),
    "ALEKSANDRA": ("SASHA", "SHURA"),
    "EVGENIA": ("ZHENYA",),
    "GIUSEPPE": ("PEPPE", "BEPPE"),
    "FRANCESCO": ("CHECCO",),
}
"""Given name → its short forms and diminutives."""

COMMONEST_NAMES = frozenset({
    "MUHAMMAD", "AHMED", "ALI", "HASSAN", "HUSSEIN", "ABDULLAH", "OMAR", "UMAR", "IBRAHIM",
    "MAHMOUD", "YOUSSEF", "KHALED", "KHALID", "MUSTAFA", "MOSTAFA",
})  # fmt: skip
"""The commonest given names of the Arabic naming tradition (any count of names in Egypt,
the Gulf, Iraq or Pakistan puts these first), in their variant group's or commonest spellings:
millions of men share each, so a listed name made of them alone (ALI MOHAMMED) is weak
evidence that a traveller whose name holds it is the listed person."""

EQUIVALENTS: tuple[tuple[str, ...], ...] = (
    ("JACOB", "YAKOV", "JAKOB", "JAKUB", "YAKUB", "YAQUB", "IAKOV", "JACQUES", "JACOBO",
     "GIACOMO", "YAAKOV"),
    ("JOSEPH", "IOSIF", "YOSEF", "JOSEF", "JOSE", "GIUSEPPE", "YUSUF", "YOSIF"),
    ("MICHAEL", "MIKHAIL", "MICHEL", "MIGUEL", "MICHELE", "MIKAEL", "MIKAIL", "MICHAL"),
    ("PETER", "PYOTR", "PIERRE", "PEDRO", "PIETRO", "PETRUS"),
    ("JOHN", "IVAN", "JUAN", "JEAN", "GIOVANNI", "JOHANN", "JOHANNES", "IOANN"),
    ("GEORGE", "GEORGI", "JORGE", "GEORGES", "GIORGIO", "JURGEN", "JORJ"),
    ("NICHOLAS", "NIKOLAI", "NICOLAS", "NICOLA", "NIKOLAUS", "NICOLAE", "MIKOLAJ"),
    ("ALEKSANDR", "ALEJANDRO", "ALESSANDRO", "ISKANDAR", "ISKANDER", "ALEXANDRE"),
    ("PAUL", "PAVEL", "PABLO", "PAOLO", "PAVLO", "PAWEL", "PAULO"),
    ("STEPHEN", "STEPAN", "ESTEBAN", "STEFAN", "ETIENNE", "STEFANO"),
    ("ANDREW", "ANDREI", "ANDRES", "ANDRZEJ", "ANDRE", "ANDREAS"),
    ("SIMON", "SEMYON", "SEMEN", "SIMEON", "SHIMON"),
    ("ABRAHAM", "IBRAHIM", "AVRAHAM", "ABRAM"),
    ("MOSES", "MUSA", "MOSHE", "MOISES", "MOISEI"),
    ("DAVID", "DAUD", "DAWOOD", "DAWUD", "DAVIT", "DAVIDE"),
    ("SOLOMON", "SULEIMAN", "SULAYMAN", "SOLIMAN", "SULAIMAN", "SHLOMO"),
    ("MARIA", "MARYAM", "MIRIAM", "MARIE", "MARIAM", "MARY"),
    ("ISAAC", "ISHAQ", "YITZHAK", "ITZHAK", "ISAK"),
    ("ELIJAH", "ILYAS", "ELIAS", "ILYA", "ELIAHU"),
    ("JONAH", "YUNUS", "YUNIS", "JONAS", "YONA"),
    ("ZACHARY", "ZAKARIA", "ZAKARIYA", "ZACHARIAS"),
    ("MATTHEW", "MATVEI", "MATEO", "MATTEO", "MATTHIAS"),
    ("THOMAS", "FOMA", "TOMAS", "TOMMASO"),
    ("GREGORY", "GRIGORI", "GREGORIO", "GRZEGORZ"),
    ("EKATERINA", "CATHERINE", "KATHERINE", "CATALINA", "CATERINA", "KATARZYNA"),
    ("ELIZABETH", "ELIZAVETA", "ELISABETH"),
    ("ELENA", "HELEN", "YELENA", "HELENA", "OLENA"),
)  # fmt: skip
"""Given names as other languages write them: each group is one name."""

FEMININE_FORMS: dict[str, tuple[str, ...]] = {
    "LUIS": ("LUISA", "LOUISA", "LOUISE"),
    "LOUIS": ("LOUISE", "LOUISA", "LUISA"),
    "JULIO": ("JULIA",),
    "JULIUS": ("JULIA",),
    "JULIAN": ("JULIANA", "JULIANNE"),
    "FRANCISCO": ("FRANCISCA",),
    "FRANCESCO": ("FRANCESCA",),
    "FRANCIS": ("FRANCES",),
    "JOSE": ("JOSEFA", "JOSEFINA", "JOSEPHINE"),
    "JOSEPH": ("JOSEPHINE", "JOSEFINA"),
    "MARIO": ("MARIA", "MARY", "MARIE"),
    "MARIANO": ("MARIANA",),
    "DANIEL": ("DANIELA", "DANIELLA", "DANIELLE"),
    "VALENTIN": ("VALENTINA",),
    "VALENTINO": ("VALENTINA",),
    "ALEXANDER": ("ALEXANDRA", "ALEKSANDRA", "ALEJANDRA", "ALESSANDRA"),
    "ALEKSANDR": ("ALEKSANDRA", "ALEXANDRA"),
    "ALEJANDRO": ("ALEJANDRA",),
    "ALESSANDRO": ("ALESSANDRA",),
    "ANTONIO": ("ANTONIA", "ANTONELLA"),
    "CARLOS": ("CARLA", "CARLOTA"),
    "CARLO": ("CARLA", "CARLOTTA"),
    "PAULO": ("PAULA", "PAULINA"),
    "PAOLO": ("PAOLA",),
    "PAUL": ("PAULA", "PAULINE", "PAULINA"),
    "MANUEL": ("MANUELA",),
    "GABRIEL": ("GABRIELA", "GABRIELLA", "GABRIELLE"),
    "FERNANDO": ("FERNANDA",),
    "ROBERTO": ("ROBERTA",),
    "ROBERT": ("ROBERTA",),
    "PATRICIO": ("PATRICIA",),
    "PATRICK": ("PATRICIA",),
    "VICTOR": ("VICTORIA", "VIKTORIA", "VIKTORIYA"),
    "ERIC": ("ERICA", "ERIKA"),
    "ERIK": ("ERIKA", "ERICA"),
    "MICHAEL": ("MICHAELA",),
    "IVAN": ("IVANA",),
    "ROMAN": ("ROMANA",),
    "EUGENE": ("EUGENIA", "EUGENIE"),
    "EUGENIO": ("EUGENIA",),
    "YEVGENY": ("YEVGENIYA", "EVGENIA"),
    "STEPHEN": ("STEPHANIE",),
    "ESTEBAN": ("ESTEFANIA",),
    "STEFAN": ("STEFANIA", "STEFANIE"),
    "ADRIAN": ("ADRIANA",),
    "ADRIANO": ("ADRIANA",),
    "FABIAN": ("FABIANA",),
    "FABIO": ("FABIOLA", "FABIANA"),
    "DENIS": ("DENISE",),
    "DENNIS": ("DENISE",),
    "CHRISTIAN": ("CHRISTINA", "CHRISTINE", "CRISTINA"),
    "CRISTIAN": ("CRISTINA",),
    "KRISTIAN": ("KRISTINA",),
    "JUAN": ("JUANA", "JUANITA"),
    "ALBERTO": ("ALBERTA",),
    "ALBERT": ("ALBERTA",),
}  # fmt: skip
"""A man's given name → women's names made of it (LUIS / LUISA, JULIO / JULIA): another
name, not a spelling of it, where each is a given name of its own. ANDREA (a man's name in
Italian) and MICHELLE (spelt as the Italian man's MICHELE once letters doubled are folded)
are left out."""
