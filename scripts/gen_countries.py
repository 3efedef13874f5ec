#!/usr/bin/env python3
"""Generates data/actors/countries.tsv from Debian's iso-codes package.

Usage: scripts/gen_countries.py [ISO_JSON] > data/actors/countries.tsv

ISO_JSON defaults to /usr/share/iso-codes/json/iso_3166-1.json (Debian package
iso-codes, LGPL-2.1). The country names and alpha-3 codes come from there; the
canonical names and extra aliases in OVERRIDES/EXTRA are ours (kg team, CC0).
The committed TSV is the source of truth: this script is a starting point and
the output was curated by hand afterwards. Python 3 standard library only.
"""
import json
import sys

# alpha-3 -> canonical name (the name news uses), when it differs from iso-codes.
CANONICAL = {
    "BOL": "Bolivia", "BRN": "Brunei", "COD": "Democratic Republic of the Congo",
    "COG": "Republic of the Congo", "CIV": "Ivory Coast", "CZE": "Czech Republic",
    "FLK": "Falkland Islands", "FSM": "Micronesia", "GBR": "United Kingdom",
    "IRN": "Iran", "KOR": "South Korea", "PRK": "North Korea", "LAO": "Laos",
    "MDA": "Moldova", "PSE": "Palestine", "RUS": "Russia", "SYR": "Syria",
    "TWN": "Taiwan", "TZA": "Tanzania", "TUR": "Turkey", "USA": "United States",
    "VAT": "Vatican City", "VEN": "Venezuela", "VNM": "Vietnam",
    "VGB": "British Virgin Islands", "VIR": "US Virgin Islands",
    "MAF": "Saint Martin", "SXM": "Sint Maarten", "CPV": "Cape Verde",
    "SWZ": "Eswatini", "TLS": "East Timor", "MKD": "North Macedonia",
}

# alpha-3 -> extra aliases (common short forms, former names, abbreviations).
EXTRA = {
    "USA": ["U.S.", "US", "USA", "U.S.A.", "America", "United States of America", "the States"],
    "GBR": ["UK", "U.K.", "Britain", "Great Britain", "United Kingdom of Great Britain and Northern Ireland"],
    "RUS": ["Russian Federation", "Rossiya"],
    "SYR": ["Syrian Arab Republic"],
    "IRN": ["Islamic Republic of Iran", "Persia"],
    "PRK": ["DPRK", "D.P.R.K.", "Democratic People's Republic of Korea"],
    "KOR": ["Republic of Korea", "ROK", "R.O.K."],
    "CHN": ["People's Republic of China", "PRC", "P.R.C.", "mainland China"],
    "TWN": ["Republic of China", "Chinese Taipei"],
    "TUR": ["Türkiye", "Turkiye", "Republic of Turkey"],
    "PSE": ["State of Palestine", "Palestinian territories", "Palestinian Territories",
            "occupied Palestinian territories", "Palestinian Authority territory"],
    "ARE": ["UAE", "U.A.E.", "Emirates"],
    "SAU": ["KSA", "Kingdom of Saudi Arabia"],
    "COD": ["DR Congo", "DRC", "D.R.C.", "Democratic Republic of Congo", "Congo-Kinshasa", "Zaire"],
    "COG": ["Congo-Brazzaville", "Republic of Congo", "Congo"],
    "CIV": ["Cote d'Ivoire", "Côte d'Ivoire"],
    "MMR": ["Burma"],
    "NLD": ["Holland", "the Netherlands"],
    "CZE": ["Czechia"],
    "MKD": ["Macedonia", "FYROM"],
    "SWZ": ["Swaziland"],
    "CPV": ["Cabo Verde"],
    "TLS": ["Timor-Leste"],
    "VNM": ["Viet Nam"],
    "LAO": ["Lao PDR"],
    "BIH": ["Bosnia", "Bosnia-Herzegovina"],
    "VAT": ["Holy See", "Vatican"],
    "DEU": ["Federal Republic of Germany"],
    "CAF": ["CAR"],
    "GNB": ["Guinea Bissau"],
    "TTO": ["Trinidad"],
    "KGZ": ["Kyrgyz Republic", "Kirghizia"],
    "BLR": ["Byelorussia"],
    "MDA": ["Moldavia"],
    "LKA": ["Ceylon"],
    "SSD": ["Southern Sudan"],
    "FLK": ["Malvinas", "Falklands"],
    "HKG": ["Hong Kong SAR"],
    "VEN": ["Bolivarian Republic of Venezuela"],
    "BOL": ["Plurinational State of Bolivia"],
    "TZA": ["United Republic of Tanzania"],
    "GMB": ["The Gambia"],
    "BHS": ["The Bahamas"],
}

# Rows iso-codes does not hold (user-assigned codes), appended at the end.
APPENDED = [
    ("Kosovo", "XKX", "country", ["Republic of Kosovo"]),
]


def main():
    path = sys.argv[1] if len(sys.argv) > 1 else "/usr/share/iso-codes/json/iso_3166-1.json"
    with open(path, encoding="utf-8") as f:
        data = json.load(f)["3166-1"]
    out = sys.stdout
    out.write("# Countries: ISO 3166-1 alpha-3 codes and names from Debian iso-codes (LGPL-2.1),\n")
    out.write("# canonical names and extra aliases curated by the kg team. See data/LICENSES.md.\n")
    out.write("name\tcode\ttype\taliases\tvalid_from\tvalid_to\n")
    rows = []
    for c in data:
        code = c["alpha_3"]
        canonical = CANONICAL.get(code, c.get("common_name", c["name"]))
        aliases = []
        for a in [c["name"], c.get("common_name"), c.get("official_name")] + EXTRA.get(code, []):
            if a and a != canonical and a.lower() not in [x.lower() for x in aliases] \
                    and a.lower() != canonical.lower():
                aliases.append(a)
        rows.append((canonical, code, "country", aliases))
    rows += APPENDED
    for name, code, typ, aliases in rows:
        out.write("\t".join([name, code, typ, "|".join(aliases), "", ""]) + "\n")


if __name__ == "__main__":
    main()
