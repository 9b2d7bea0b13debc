"""The region of an officer's country, for field reports signed "an officer in <region>".

The five regions of the UN statistical geoscheme (M49). Deliberately coarse: a sub-region
such as "Northern America" or "Australia and New Zealand" would narrow a pseudonymous author
down to one or two countries. Taiwan and Kosovo, absent from M49, are placed by geography.
"""

from django.utils.translation import gettext_lazy as _

REGION_NAMES = {
    "africa": _("Africa"),
    "americas": _("the Americas"),
    "asia": _("Asia"),
    "europe": _("Europe"),
    "oceania": _("Oceania"),
}

_COUNTRIES = {
    "africa": (
        "DZ EG LY MA SD TN EH IO BI KM DJ ER ET KE MG MW MU YT MZ RE RW SC SO SS TF UG TZ ZM ZW "
        "AO CM CF TD CG CD GQ GA ST BW SZ LS NA ZA BJ BF CV CI GM GH GN GW LR ML MR NE NG SH SN SL TG"
    ),
    "americas": (
        "AI AG AR AW BS BB BZ BM BO BQ BV BR CA KY CL CO CR CU CW DM DO EC SV FK GF GL GD GP GT GY HT HN "
        "JM MQ MX MS NI PA PY PE PR BL KN LC MF PM VC SX GS SR TT TC US VG VI UY VE"
    ),
    "asia": (
        "KZ KG TJ TM UZ CN HK MO KP JP MN KR TW BN KH ID LA MY MM PH SG TH TL VN AF BD BT IN IR MV NP PK LK "
        "AM AZ BH CY GE IQ IL JO KW LB OM QA SA PS SY TR AE YE"
    ),
    "europe": (
        "BY BG CZ HU PL MD RO RU SK UA AX DK EE FO FI GG IS IE IM JE LV LT NO SJ SE GB AL AD BA HR GI GR "
        "VA IT MT ME MK PT SM RS SI ES XK AT BE FR DE LI LU MC NL CH"
    ),
    "oceania": "AU NZ NF HM CX CC FJ NC PG SB VU GU KI MH FM NR MP PW UM AS CK PF NU PN WS TK TO TV WF",
}

REGION_OF_COUNTRY = {code: region for region, codes in _COUNTRIES.items() for code in codes.split()}


def region_of(country_code: str) -> str:
    """The region key of an ISO 3166 alpha-2 code ("" when unknown)."""
    return REGION_OF_COUNTRY.get((country_code or "").upper(), "")


def region_name(country_code: str) -> str:
    region = region_of(country_code)
    return str(REGION_NAMES[region]) if region else ""
