"""The directory is data: loading is idempotent, export writes the same format, edits keep history."""
from pathlib import Path

import yaml
from sqlalchemy import func, select

from portal.complaints.models import Complaint
from portal.directory.exporter import export_directory
from portal.directory.loader import DATA_DIR, load_directory, read_folder
from portal.directory.models import Agency, Category, Ward
from portal.directory.routing import current_successor
from portal.extensions import db
from tests.helpers import post_form


def test_loading_twice_changes_nothing(app, runner):
    result = runner.invoke(args=["directory", "load"])
    assert result.exit_code == 0 and "already up to date" in result.output


def test_hanoi_has_126_wards_each_with_its_committee(app):
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Ward)) == 126
        committees = db.session.scalars(select(Agency).where(Agency.kind == "ward_committee")).all()
        assert len(committees) == 126 and all(c.ward is not None and c.is_active() for c in committees)


def test_former_bodies_are_inactive_and_point_to_successors(app):
    with app.app_context():
        planning = db.session.scalars(select(Agency).where(Agency.code == "SKHDT")).one()
        assert not planning.is_active() and [s.code for s in planning.successors] == ["STC"]
        assert current_successor(planning).code == "STC"
        districts = db.session.scalars(select(Agency).where(Agency.kind == "district_committee")).all()
        assert len(districts) == 30 and all(not d.is_active() and d.successors for d in districts)


def test_export_writes_what_load_reads(app, tmp_path):
    with app.app_context():
        export_directory(tmp_path)
        assert not load_directory(tmp_path)  # nothing differs
    shipped, exported = read_folder(DATA_DIR), read_folder(tmp_path)
    by_code = lambda entries: {e["code"]: {k: str(v) for k, v in e.items()} for e in entries}  # noqa: E731
    assert by_code(exported["agencies"]["agencies"]) == by_code(shipped["agencies"]["agencies"])
    assert exported["wards"] == shipped["wards"]
    assert exported["clocks"] == shipped["clocks"]


def test_an_edit_updates_in_place_and_keeps_past_cases(app, client, tmp_path):
    post_form(client, category="y_te")  # routed to Sở Y tế
    with app.app_context():
        export_directory(tmp_path)
    agencies = yaml.safe_load((tmp_path / "agencies.yaml").read_text())
    for agency in agencies["agencies"]:
        if agency["code"] == "SYT":
            agency["name_vi"] = "Sở Y tế Hà Nội"
    agencies["agencies"] = [a for a in agencies["agencies"] if a["code"] != "SDL"]
    (tmp_path / "agencies.yaml").write_text(yaml.safe_dump(agencies, allow_unicode=True))
    categories = yaml.safe_load((tmp_path / "categories.yaml").read_text())
    categories["categories"] = [c for c in categories["categories"] if c["code"] != "khac"]
    (tmp_path / "categories.yaml").write_text(yaml.safe_dump(categories, allow_unicode=True))
    with app.app_context():
        changes = load_directory(tmp_path)
        assert ("agency", "updated") in changes.counts and ("agency", "closed") in changes.counts
        complaint = db.session.scalars(select(Complaint)).one()
        assert complaint.agency.code == "SYT" and complaint.agency.name_vi == "Sở Y tế Hà Nội"
        assert db.session.scalars(select(Agency).where(Agency.code == "SDL")).one().active_until is not None
        assert not db.session.scalars(select(Category).where(Category.code == "khac")).one().active
        assert not load_directory(tmp_path)  # and loading the edit again changes nothing


def test_the_shipped_ward_file_states_its_source(app):
    header = (Path(DATA_DIR) / "wards.yaml").read_text(encoding="utf-8").splitlines()[:8]
    assert any("vietnamadminunits" in line for line in header)
    assert any("generate_wards" in line for line in header)
