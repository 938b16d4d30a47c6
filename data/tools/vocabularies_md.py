#!/usr/bin/env python3
"""Writes docs/vocabularies.md from data/vocabularies/*.csv (prose below, tables from the CSVs).

Usage: python3 data/tools/vocabularies_md.py
"""
import csv, os
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
D = os.path.join(ROOT, "data", "vocabularies")
def rows(name):
    with open(os.path.join(D, name + ".csv"), encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))
def cell(s):
    return s.replace("|", "\\|").replace("\n", " ")
out = []
W = out.append
W("""# Vocabularies

memoria's controlled vocabularies are versioned code lists shipped in `data/vocabularies/`
and compiled into the binary. Every coded field of the data model (an act's type, a person's
sex, a place's kind, a record's confidentiality …) holds a **code** of one list; the English
and Korean **labels** are for display. An unknown code is an error that names the list and
its nearest valid codes:

```
unknown code 'V.DET.TORTUR' in list violation_types; nearest valid codes: V.DET.TORTURE, V.DET.CIDT, V.DET.RAPE
```

## File format

One UTF-8 CSV file per list, `data/vocabularies/<list>.csv` (RFC 4180, header row), with
exactly these columns:

| column | meaning |
|---|---|
| `code` | the stable code: 1–64 characters of `A–Z a–z 0–9 . _ - ( )`; unique in the list; case-sensitive |
| `parent` | a code of the same list, or empty for a top-level code; no cycles |
| `label_en` | English label (required) |
| `label_ko` | Korean label (required), in standard ROK orthography; the DPRK spelling is given in the description where it differs (e.g. 노동/로동) |
| `rome_statute` | `;`-separated codes of the list `crimes_against_humanity` (Rome Statute art. 7(1)); empty where none |
| `description` | scope note, with the source where the code comes from a reference table |

**Version.** A list's version is the SHA-256 (lower-case hex) of its file's bytes, so any
change, even to a description, gives a new version; records and exports can cite it to say
which list they were coded with. There is no separate version column to forget to bump.

**Validation.** Loading (`memoria::Vocabularies`, `src/core/vocabulary.h`) rejects, with
`file:line: field: message`: a header other than the six columns above, a malformed or
duplicate code, a missing English or Korean label, a parent that is not a code of the list or
that forms a cycle, and a `rome_statute` code that is not a code of `crimes_against_humanity`.
The test `core_data_check_test` loads the shipped lists on every build and compares them with
the reference tables they were transcribed from (see `data/README.md`).

**Changing a list.** Add codes; do not rename or delete a code that data may use (give it a
description saying it is deprecated and what to use instead). An organization can keep its
own copy of the directory and load it with `Vocabularies::LoadFromDirectory`.

## The Rome Statute mapping: "may amount to"

The `rome_statute` column of `violation_types` maps a violation to the crimes against
humanity (Rome Statute art. 7(1)) that it **may amount to, if the contextual elements are
met**: a widespread or systematic attack directed against a civilian population, pursuant to
a State or organizational policy, with the perpetrator's knowledge (see `7(1)-chapeau` in
`data/reference/crimes_against_humanity_elements.csv`). A mapping is a pointer for analysts,
**never an automatic legal qualification** of an act, and memoria never presents it as one.
Codes with an empty mapping are violations of human-rights law that are not themselves
crimes against humanity (e.g. refoulement by a third State) or whose qualification depends
on the facts. The ICC may only try conduct after 1 July 2002, and the DPRK is not a State
Party (jurisdiction would need a Security Council referral); the mapping is about the nature
of the conduct, not about any court's jurisdiction.

The element summaries in the crime descriptions are paraphrases of the ICC *Elements of
Crimes* (2013); quote the official ICC text when drafting legal analysis.

## The lists
""")
INTRO = {
 "violation_types": "Acts and violations, after the six findings chapters of the UN Commission of Inquiry on the DPRK (A/HRC/25/63, A/HRC/25/CRP.1 ch. IV.A–F) plus the flagged extension `V.LABOUR`; each code's description names the closest HURIDOCS Micro-thesaurus 4 term. Transcribed from the reference table `violation_types.csv`.",
 "crimes_against_humanity": "Crimes against humanity, Rome Statute art. 7(1)(a)–(k), with 7(1)(g) split into its six crimes as in the ICC Elements of Crimes (`7(1)(g)` is their parent). Korean labels are the crime names of the Korean translation of the Rome Statute used by the ROK, shortened to the name of the crime (added for memoria; re-check against the official Korean text before legal use). The elements of each crime (and the contextual elements common to all) are in `data/reference/crimes_against_humanity_elements.csv`.",
 "facility_types": "Categories of detention facility (gazetteer `facility_type`). Labels are the standard ROK terms; the DPRK names, romanizations, administering agency and legal process are in the descriptions. Transcribed from `facility_types.csv`.",
 "sex": "A person's sex as recorded by the source. `other` is included on purpose: it is a recorded value (e.g. intersex, or a source that states sex in other terms) and must not be folded into `unknown`, because for record linkage `unknown` (not recorded) agrees with any value while `other` disagrees with `male` and `female`.",
 "person_status": "A person's status at the date of the latest information.",
 "songbun": "The State-assigned socio-political class (성분) recorded for a person, from the glossary `dprk_terms.csv`.",
 "person_roles": "Roles a person can have in the documentation (one person can have several).",
 "victim_status": "A victim's status after one act.",
 "involvement_roles": "How a person or unit took part in an act (modes of liability after Rome Statute art. 25 and 28; a recorded allegation, not a finding).",
 "information_relation": "How the informant knows what they report.",
 "reliability": "The documenter's assessment of a piece of information.",
 "consent": "What the informant agreed to, from most to least restrictive.",
 "place_kinds": "Kinds of gazetteer place (`data/gazetteer/places.jsonl`).",
 "coordinate_precision": "What a place's coordinates stand for; exactly the values used in the reference gazetteer tables.",
 "unit_kinds": "Kinds of perpetrator unit. The police ministry was renamed in 2020 and testimonies use the name current at the time of events, so both `MPS` and `MSoS` are kept.",
 "capture_methods": "How an evidence item was obtained.",
 "confidentiality": "Confidentiality levels, in order: a reader cleared for a level sees that level and below. A witness's identity is `secret` by default.",
 "scripts": "Writing systems of a name (ISO 15924).",
 "romanization_systems": "Romanization system of a Latin-script Korean name.",
 "link_decisions": "A reviewer's decision on a pair of persons in record linkage (the `link_decision` entity; docs/linkage.md, \"Linking the store\").",
}
ORDER = ["violation_types", "crimes_against_humanity", "facility_types", "sex", "person_status",
         "songbun", "person_roles", "victim_status", "involvement_roles", "information_relation",
         "reliability", "consent", "place_kinds", "coordinate_precision", "unit_kinds",
         "capture_methods", "confidentiality", "scripts", "romanization_systems", "link_decisions"]
assert sorted(ORDER) == sorted(f[:-4] for f in os.listdir(D))
for name in ORDER:
    rs = rows(name)
    W("### `%s` (%d codes)\n\n%s\n" % (name, len(rs), INTRO[name]))
    long_desc = name in ("violation_types", "crimes_against_humanity", "facility_types")
    if name == "violation_types":
        W("| code | parent | English | 한국어 | may amount to (art. 7(1)) |\n|---|---|---|---|---|")
        for r in rs:
            W("| `%s` | %s | %s | %s | %s |" % (r["code"], ("`%s`" % r["parent"]) if r["parent"] else "", cell(r["label_en"]), cell(r["label_ko"]), ", ".join(r["rome_statute"].split(";")) if r["rome_statute"] else ""))
    elif long_desc:
        W("| code | parent | English | 한국어 |\n|---|---|---|---|")
        for r in rs:
            W("| `%s` | %s | %s | %s |" % (r["code"], ("`%s`" % r["parent"]) if r["parent"] else "", cell(r["label_en"]), cell(r["label_ko"])))
    else:
        W("| code | English | 한국어 | description |\n|---|---|---|---|")
        for r in rs:
            desc = cell(r["description"])
            if r["parent"]:
                desc = "Narrower than `%s`. " % r["parent"] + desc
            W("| `%s` | %s | %s | %s |" % (r["code"], cell(r["label_en"]), cell(r["label_ko"]), desc))
    W("")
W("""## Sources

- UN Commission of Inquiry on Human Rights in the DPRK, A/HRC/25/63 and the detailed findings
  A/HRC/25/CRP.1 (2014).
- Rome Statute of the International Criminal Court, art. 7; ICC, *Elements of Crimes* (2013).
- HURIDOCS Micro-thesauri (2001), Micro-thesaurus 4 "Types of Acts" (cross-references only).
- HRNK, *The Hidden Gulag* (2nd ed., 2012), *Marked for Life* (2012), *The Parallel Gulag* (2017);
  US Department of State, Country Report on Human Rights Practices: DPRK (2012).
- ISO 15924 (scripts); ROK Ministry of Culture and Tourism Proclamation 2000-8 (RR);
  McCune & Reischauer (1939); DPRK romanization rules (1992, rev. 2002/2012; KPS 11080).

The lists were compiled from public secondary sources in a desk review; verify a value
against the primary document before relying on it in casework. See `data/README.md` for the
licence and terms of each source.
""")
open(os.path.join(ROOT, "docs", "vocabularies.md"), "w", encoding="utf-8").write("\n".join(out))
