#!/usr/bin/env python3
"""Transcribes the desk-review reference tables into memoria's shipped data (data/).

Inputs: the read-only reference tables (default ../shared/data/reference, see its README.md).
Outputs (overwritten):
  data/vocabularies/violation_types.csv
  data/vocabularies/crimes_against_humanity.csv
  data/vocabularies/facility_types.csv
  data/reference/crimes_against_humanity_elements.csv   (the source table, unchanged)
  data/gazetteer/places.jsonl

The small hand-written code lists in data/vocabularies/ are not generated. Facts are copied, not
edited; what this script adds (Korean crime labels, alternative facility names found in the
source texts, the country root place) is marked in data/README.md and docs/vocabularies.md.

Usage: python3 data/tools/transcribe_reference.py [REFERENCE_DIR]
"""
import csv
import io
import json
import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
DATA = os.path.dirname(HERE)
REF = sys.argv[1] if len(sys.argv) > 1 else os.path.join(DATA, "..", "..", "shared", "data",
                                                          "reference")
VOCAB_HEADER = ["code", "parent", "label_en", "label_ko", "rome_statute", "description"]


def read(name):
    with open(os.path.join(REF, name), encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def write_csv(path, header, rows):
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(header)
    for r in rows:
        w.writerow(r)
    with open(os.path.join(DATA, path), "w", encoding="utf-8", newline="") as f:
        f.write(buf.getvalue())


def sentence(s):
    s = s.strip()
    return s if not s or s.endswith((".", ")")) else s + "."


# --- violation_types ---------------------------------------------------------------------------
def violation_types():
    rows = []
    for r in read("violation_types.csv"):
        desc = sentence(r["description"]) + " Source: " + r["source"]
        rows.append([r["code"], r["parent_code"], r["label_en"], r["label_ko"],
                     r["maps_to_rome_statute"], desc])
    write_csv("vocabularies/violation_types.csv", VOCAB_HEADER, rows)
    return len(rows)


# --- crimes_against_humanity -------------------------------------------------------------------
# Korean names of the art. 7(1) crimes as in the Korean translation of the Rome Statute used by
# the ROK (국제형사재판소에 관한 로마규정, treaty no. 1619) and the ROK Act on the Punishment of
# Crimes within the Jurisdiction of the ICC (2007), shortened to the name of the crime.
CRIME_KO = {
    "7(1)(a)": "살해",
    "7(1)(b)": "절멸",
    "7(1)(c)": "노예화",
    "7(1)(d)": "주민의 추방 또는 강제이주",
    "7(1)(e)": "구금 또는 신체적 자유의 다른 심각한 박탈",
    "7(1)(f)": "고문",
    "7(1)(g)": "강간, 성적 노예화, 강제매춘, 강제임신, 강제불임 또는 기타 중대한 성폭력",
    "7(1)(g)-1": "강간",
    "7(1)(g)-2": "성적 노예화",
    "7(1)(g)-3": "강제매춘",
    "7(1)(g)-4": "강제임신",
    "7(1)(g)-5": "강제불임",
    "7(1)(g)-6": "이에 상당하는 중대성을 가진 기타 형태의 성폭력",
    "7(1)(h)": "박해",
    "7(1)(i)": "사람들의 강제실종",
    "7(1)(j)": "인종차별범죄",
    "7(1)(k)": "기타 비인도적 행위",
}
G_LABEL = ("Rape, sexual slavery, enforced prostitution, forced pregnancy, enforced sterilization "
           "or any other form of sexual violence of comparable gravity")


def crimes():
    src = read("crimes_against_humanity.csv")
    # The element table ships unchanged.
    with open(os.path.join(REF, "crimes_against_humanity.csv"), "rb") as f:
        raw = f.read()
    with open(os.path.join(DATA, "reference", "crimes_against_humanity_elements.csv"), "wb") as f:
        f.write(raw)

    by_code = {}
    for r in src:
        if r["crime_code"].startswith("7(1)-"):
            continue  # chapeau (contextual) rows stay in the element table only
        by_code.setdefault(r["crime_code"], []).append(r)
    rows = []
    for code, elems in by_code.items():
        if code == "7(1)(g)-1":
            rows.append(["7(1)(g)", "", G_LABEL, CRIME_KO["7(1)(g)"], "",
                         "Rome Statute art. 7(1)(g): the sexual-violence crimes, split into six "
                         "crimes 7(1)(g)-1 to 7(1)(g)-6 as in the ICC Elements of Crimes; code an act "
                         "with the specific crime. Source: Rome Statute art. 7; ICC Elements of "
                         "Crimes (2013 ed.), art. 7"])
        specific = [e for e in elems
                    if e["element_kind"] != "contextual" and "see chapeau" not in e["element_summary"]]
        parts = ["%s. %s" % (e["element_number"], sentence(e["element_summary"])) for e in specific]
        finding = elems[0]["coi_2014_dprk_finding"]
        desc = ("Elements (paraphrased from the ICC Elements of Crimes): " + " ".join(parts) +
                " Plus the contextual elements common to all crimes against humanity (see "
                "7(1)-chapeau in reference/crimes_against_humanity_elements.csv). "
                "COI 2014 (DPRK): " + finding + ". Source: " + elems[0]["source"])
        parent = "7(1)(g)" if code.startswith("7(1)(g)-") else ""
        rows.append([code, parent, elems[0]["crime_name"], CRIME_KO[code], "", desc])
    write_csv("vocabularies/crimes_against_humanity.csv", VOCAB_HEADER, rows)
    return len(rows)


# --- facility_types ----------------------------------------------------------------------------
# Standard ROK terms as labels; the DPRK term (from the source's name_ko) goes into the description.
FACILITY_KO = {
    "kwanliso": "정치범수용소",
    "kyohwaso": "교화소",
    "kyoyangso": "교양소",
    "jipkyulso": "집결소",
    "rodong_danryeondae": "노동단련대",
    "kuryujang": "구류장",
    "mss_detention": "보위부 구류장",
    "police_detention": "안전부(보안서) 구류장",
    "third_country_detention": "제3국 구금시설",
}


def facility_types():
    rows = []
    for r in read("facility_types.csv"):
        names = "Korean (source): %s" % r["name_ko"]
        if r["name_rr"]:
            names += "; RR %s; MR %s" % (r["name_rr"], r["name_mr"])
        names += "; spellings: %s." % r["common_spellings"]
        desc = " ".join([
            sentence(r["description"]),
            "Administered by: %s." % r["administering_agency"].rstrip("."),
            "Legal process: %s" % sentence(r["legal_process"]),
            names,
            "Source: %s" % r["sources"],
        ])
        rows.append([r["code"], "", r["label_en"], FACILITY_KO[r["code"]], "", desc])
    write_csv("vocabularies/facility_types.csv", VOCAB_HEADER, rows)
    return len(rows)


# --- gazetteer ---------------------------------------------------------------------------------
KEYS = ["type", "id", "name", "name_ko", "other_names", "kind", "parent", "lat", "lon",
        "precision", "facility_type", "description", "sources", "confidentiality"]
NUMBER = re.compile(r"^-?[0-9]+(\.[0-9]+)?$")


def place_line(p):
    out = []
    for k in KEYS:
        v = p.get(k)
        if v is None or v == "" or v == []:
            continue  # empty values are omitted, never written as null
        if k in ("lat", "lon"):
            assert NUMBER.match(v), v
            out.append('"%s":%s' % (k, v))  # as published, digits unchanged
        else:
            out.append('"%s":%s' % (k, json.dumps(v, ensure_ascii=False, separators=(",", ":"))))
    for k in p:
        assert k in KEYS, k
    return "{" + ",".join(out) + "}"


def split_ko(raw):
    """'량강도 (ROK spelling: 양강도)' -> ('량강도', ['양강도'], note)."""
    m = re.match(r"^(.*?) \((.*)\)$", raw)
    if not m:
        return raw, [], ""
    main, inner = m.group(1), m.group(2)
    if inner.startswith("ROK spelling: "):
        return main, [inner[len("ROK spelling: "):]], ""
    return main, [], "Korean name as given by the source: %s." % raw


def uniq(names, exclude):
    out = []
    for n in names:
        n = n.strip()
        if n and n not in out and n not in exclude:
            out.append(n)
    return out


# Alternative names of facilities that appear in the source tables themselves (name_en
# parentheticals, the county column, titles of the cited reports) or in the README caveats
# (Kaechon/Gaecheon, Hwasong/Myonggan, Jongo-ri/Chongori).
FACILITY_OTHER_NAMES = {
    "KP-DET-001": ["Camp 14", "Kwanliso No. 14", "Gaecheon"],
    "KP-DET-002": ["Camp 15", "Kwanliso No. 15", "Yodok concentration camp"],
    "KP-DET-003": ["Camp 16", "Kwanliso No. 16", "Political Prison Camp No. 16, Myonggan"],
    "KP-DET-004": ["Camp 18", "Kwanliso No. 18", "Political Prison Camp No. 18, Bukchang"],
    "KP-DET-005": ["Camp 22", "Kwanliso No. 22", "Political Prison Camp No. 22, Haengyong"],
    "KP-DET-006": ["Camp 25", "Kwanliso No. 25"],
    "KP-DET-007": ["Choma-bong Restricted Area"],
    "KP-DET-008": ["Camp 11", "Kwanliso No. 11"],
    "KP-DET-009": ["Camp 12", "Kwanliso No. 12"],
    "KP-DET-010": ["Camp 13", "Kwanliso No. 13"],
    "KP-DET-011": ["Kyo-hwa-so No. 1, Kaech'on", "Kaechon prison camp"],
    "KP-DET-012": ["Kyo-hwa-so No. 4, Kangdong", "Kangdong concentration camp"],
    "KP-DET-013": ["Kyo-hwa-so No. 12, Jongo-ri", "Chongori", "Jongo-ri"],
    "KP-DET-014": ["Pokchong-ni Kyo-hwa-so"],
    "KP-DET-015": ["Sunchon Kyo-hwa-so"],
    "KP-DET-016": ["Kyo-hwa-so No. 9, Hamhung"],
}
STATUS_TEXT = {
    "operating": "operating (the most recent cited public source indicates use)",
    "closed": "closed (public reports of closure)",
    "reported": "reported (existence reported by one or few sources, or assessed from imagery "
                "without testimony)",
    "contested": "contested (sources conflict)",
}


def gazetteer():
    admin = read("dprk_admin_divisions.csv")
    fac = read("dprk_detention_facilities.csv")
    places = [{
        "type": "place", "id": "KP", "name": "Democratic People's Republic of Korea",
        "name_ko": "조선민주주의인민공화국", "other_names": ["North Korea", "DPRK", "북한"],
        "kind": "country",
        "description": "Root of the gazetteer. ISO 3166-1 alpha-2 code KP. 북한 is the ROK name.",
        "sources": "ISO 3166-1", "confidentiality": "public"}]
    by_name = {}
    for r in admin:
        name_ko, ko_alts, ko_note = split_ko(r["name_ko"])
        kps = r["name_dprk_kps11080"]
        notes = []
        m = re.match(r"^(.*?) \((.*)\)$", kps)
        if m:
            kps = m.group(1)
            notes.append("KPS 11080 form %s is %s." % (kps, m.group(2)))
        if r["iso_3166_2"]:
            notes.insert(0, "ISO 3166-2: %s." % r["iso_3166_2"])
        if r["seat"]:
            notes.append("Seat: %s." % r["seat"])
        if r["facing_foreign_place"]:
            notes.append("Faces: %s." % r["facing_foreign_place"])
        if r["repatriation_corridor_reported"] == "yes":
            notes.append("Reported as a corridor of forced repatriation from China (HRNK Hidden "
                         "Gulag 2nd ed. 2012 or later reports).")
        if ko_note:
            notes.append(ko_note)
        p = {
            "type": "place", "id": r["id"], "name": r["name_en"], "name_ko": name_ko,
            "other_names": uniq([r["name_rr"], r["name_mr"], r["name_dprk_english"], kps] + ko_alts,
                                {r["name_en"], name_ko}),
            "kind": r["feature_type"], "parent": r["parent_iso_3166_2"] or "KP",
            "lat": r["approx_lat"], "lon": r["approx_lon"], "precision": r["coordinate_precision"],
            "description": " ".join(notes), "sources": r["sources"], "confidentiality": "public"}
        places.append(p)
        if r["iso_3166_2"]:
            by_name[r["name_en"]] = r["id"]
    for r in fac:
        notes = []
        if r["number"]:
            notes.append("Number: %s." % r["number"])
        notes.append("County: %s." % r["county"])
        notes.append("Status: %s." % STATUS_TEXT[r["status"]])
        if r["reported_population_estimate"]:
            notes.append("Reported population estimates (claims with their sources, not facts): %s."
                         % r["reported_population_estimate"])
        if r["coordinate_precision"] == "county_only":
            notes.append("No published coordinates retrieved; location known to county level.")
        elif r["coordinate_precision"] == "point_within_camp":
            notes.append("The point lies inside the camp; it is not a centroid.")
        has_point = r["coordinate_precision"] != "county_only"
        p = {
            "type": "place", "id": r["id"], "name": r["name_en"], "name_ko": r["name_ko"],
            "other_names": uniq(FACILITY_OTHER_NAMES.get(r["id"], []), {r["name_en"]}),
            "kind": "facility", "parent": by_name[r["province"]],
            "lat": r["approx_lat"] if has_point else "", "lon": r["approx_lon"] if has_point else "",
            "precision": r["coordinate_precision"], "facility_type": r["facility_type"],
            "description": " ".join(notes), "sources": r["sources"], "confidentiality": "public"}
        places.append(p)
    with open(os.path.join(DATA, "gazetteer", "places.jsonl"), "w", encoding="utf-8",
              newline="\n") as f:
        for p in places:
            f.write(place_line(p) + "\n")
    return len(places)


if __name__ == "__main__":
    print("violation_types", violation_types())
    print("crimes_against_humanity", crimes())
    print("facility_types", facility_types())
    print("places", gazetteer())
