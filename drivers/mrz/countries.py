"""Issuing-state and nationality codes of ICAO Doc 9303 Part 3.

The three-letter codes of ISO 3166-1 plus the codes ICAO adds for Germany,
British nationals, United Nations documents, organisations, refugees and
stateless persons. A code that is not here is reported by the parser as
unknown; that is kept apart from check-digit validity.
"""

from __future__ import annotations

_ISO_TEXT = """
    ABW AFG AGO AIA ALA ALB AND ARE ARG ARM ASM ATA ATF ATG AUS AUT AZE BDI BEL BEN BES
    BFA BGD BGR BHR BHS BIH BLM BLR BLZ BMU BOL BRA BRB BRN BTN BVT BWA CAF CAN CCK CHE
    CHL CHN CIV CMR COD COG COK COL COM CPV CRI CUB CUW CXR CYM CYP CZE DEU DJI DMA DNK
    DOM DZA ECU EGY ERI ESH ESP EST ETH FIN FJI FLK FRA FRO FSM GAB GBR GEO GGY GHA GIB
    GIN GLP GMB GNB GNQ GRC GRD GRL GTM GUF GUM GUY HKG HMD HND HRV HTI HUN IDN IMN IND
    IOT IRL IRN IRQ ISL ISR ITA JAM JEY JOR JPN KAZ KEN KGZ KHM KIR KNA KOR KWT LAO LBN
    LBR LBY LCA LIE LKA LSO LTU LUX LVA MAC MAF MAR MCO MDA MDG MDV MEX MHL MKD MLI MLT
    MMR MNE MNG MNP MOZ MRT MSR MTQ MUS MWI MYS MYT NAM NCL NER NFK NGA NIC NIU NLD NOR
    NPL NRU NZL OMN PAK PAN PCN PER PHL PLW PNG POL PRI PRK PRT PRY PSE PYF QAT REU ROU
    RUS RWA SAU SDN SEN SGP SGS SHN SJM SLB SLE SLV SMR SOM SPM SRB SSD STP SUR SVK SVN
    SWE SWZ SXM SYC SYR TCA TCD TGO THA TJK TKL TKM TLS TON TTO TUN TUR TUV TWN TZA UGA
    UKR UMI URY USA UZB VAT VCT VEN VGB VIR VNM VUT WLF WSM YEM ZAF ZMB ZWE
"""
ISO_3166 = frozenset(_ISO_TEXT.split())

# ICAO 9303 Part 3 codes that are not ISO 3166-1 alpha-3 (after removing fillers).
ICAO_EXTRA = {
    "D": "Germany",
    "GBD": "British Overseas Territories Citizen",
    "GBN": "British National (Overseas)",
    "GBO": "British Overseas Citizen",
    "GBP": "British Protected Person",
    "GBS": "British Subject",
    "UNO": "United Nations Organization or one of its officials",
    "UNA": "Specialized agency of the United Nations or one of its officials",
    "UNK": "Resident of Kosovo to whom a travel document has been issued by UNMIK",
    "XBA": "African Development Bank",
    "XIM": "African Export-Import Bank",
    "XCC": "Caribbean Community or one of its emissaries",
    "XCE": "Council of Europe",
    "XCO": "Common Market for Eastern and Southern Africa",
    "XEC": "Economic Community of West African States",
    "XPO": "International Criminal Police Organization (INTERPOL)",
    "XES": "Organization of Eastern Caribbean States",
    "XMP": "Parliamentary Assembly of the Mediterranean",
    "XOM": "Sovereign Military Order of Malta or one of its emissaries",
    "XDC": "Southern African Development Community",
    "XXA": "Stateless person (1954 Convention)",
    "XXB": "Refugee (1951 Convention)",
    "XXC": "Refugee (other than 1951 Convention)",
    "XXX": "Person of unspecified nationality",
    "EUE": "European Union",
}

# Codes printed on specimen documents (ICAO's fictional state of Utopia).
SPECIMEN = frozenset({"UTO"})

KNOWN = ISO_3166 | frozenset(ICAO_EXTRA) | SPECIMEN


def normalise_code(field: str) -> str:
    """The code in a three-character MRZ field, fillers removed (``D<<`` → ``D``)."""
    return field.replace("<", "")


def is_known(code: str) -> bool:
    """True when ``code`` (fillers removed) is an ICAO 9303 Part 3 code or a specimen code."""
    return code in KNOWN


def is_specimen(code: str) -> bool:
    """True for the codes used on specimen documents (``UTO``)."""
    return code in SPECIMEN
