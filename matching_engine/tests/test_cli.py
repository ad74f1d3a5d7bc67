"""``meridian-match`` and its settings file: good files in, CSV and JSON out; bad input, nothing out."""

from __future__ import annotations

import csv
import gc
import json
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest

from matching_engine.cli import main
from matching_engine.config import ConfigError, parse_config
from matching_engine.demo import generate_cohort
from matching_engine.model import Role
from matching_engine.participants import write_participants_csv, write_participants_xlsx
from matching_engine.problem import CRITERIA, Constraints, Weights
from matching_engine.scoring import prepare

PEOPLE = generate_cohort(40, 12, seed=5, capacity=(1, 3))
MENTEES = [p for p in PEOPLE if p.role is Role.MENTEE]
MENTORS = [p for p in PEOPLE if p.role is Role.MENTOR]


@pytest.fixture
def people_csv(tmp_path: Path) -> Path:
    path = tmp_path / "people.csv"
    path.write_text(write_participants_csv(PEOPLE), encoding="utf-8")
    return path


def rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as file:
        return list(csv.DictReader(file))


def test_it_writes_matches_scores_and_report(
    people_csv: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out, scores, report = tmp_path / "matches.csv", tmp_path / "scores.csv", tmp_path / "report.json"
    assert main([str(people_csv), "-o", str(out), "--scores", str(scores), "--report", str(report)]) == 0
    matches = rows(out)
    assert list(matches[0]) == ["mentor_id", "mentee_id", "score", *CRITERIA, "explanation"]
    assert all(row["explanation"] for row in matches)
    assert len({row["mentee_id"] for row in matches}) == len(matches)
    data = json.loads(report.read_text(encoding="utf-8"))
    assert data["matched"] == len(matches)
    assert data["certificate"]["proven"] is True
    assert f"mentees matched   {len(matches)} of {len(MENTEES)}" in capsys.readouterr().out
    check_scores_file(rows(scores), matches)


def check_scores_file(pairs: list[dict[str, str]], matches: list[dict[str, str]]) -> None:
    """Every allowed pair once, no forbidden one, and the matches among them with their scores."""
    problem = prepare(MENTEES, MENTORS, weights=Weights(), constraints=Constraints())
    mentee_at = {p.id: i for i, p in enumerate(MENTEES)}
    mentor_at = {p.id: j for j, p in enumerate(MENTORS)}
    listed = {(row["mentee_id"], row["mentor_id"]): row["score"] for row in pairs}
    assert len(listed) == len(pairs) == len(problem.candidates(full=True).mentee)
    for mentee, mentor in listed:
        assert problem.pair(mentee_at[mentee], mentor_at[mentor]).allowed
    for row in matches:
        assert listed[row["mentee_id"], row["mentor_id"]] == row["score"]
    assert list(pairs[0]) == ["mentor_id", "mentee_id", "score", *CRITERIA]


def test_it_runs_stable_mode_and_the_coverage_objective(people_csv: Path, tmp_path: Path) -> None:
    stable, coverage = tmp_path / "stable.json", tmp_path / "coverage.json"
    out = str(tmp_path / "m.csv")
    assert main([str(people_csv), "-o", out, "--mode", "stable", "--report", str(stable)]) == 0
    assert main([str(people_csv), "-o", out, "--objective", "coverage", "--report", str(coverage)]) == 0
    stable_report = json.loads(stable.read_text(encoding="utf-8"))
    assert stable_report["mode"] == "stable"
    assert stable_report["blocking_pairs"] == 0
    assert json.loads(coverage.read_text(encoding="utf-8"))["matched"] >= stable_report["matched"]


def test_it_reads_xlsx_and_weights_from_a_settings_file(tmp_path: Path) -> None:
    people = tmp_path / "people.xlsx"
    people.write_bytes(write_participants_xlsx(PEOPLE))
    settings = tmp_path / "weights.toml"
    settings.write_text(
        "[weights]\nskills = 0\nvalues = 0\nhours = 0\nlanguages = 0\nseniority = 1\nchannels = 0\n"
    )
    out = tmp_path / "m.csv"
    assert main([str(people), "-o", str(out), "--config", str(settings)]) == 0
    for row in rows(out):
        assert float(row["score"]) == pytest.approx(float(row["seniority"]), abs=1e-4)


def test_it_refuses_a_bad_file_writes_nothing_and_names_each_problem(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    lines = write_participants_csv(PEOPLE).splitlines()
    lines[2] = lines[2].replace("@northwind.example", "@")  # line 3: a bad email
    mentee = next(i for i, line in enumerate(lines) if i > 3 and ",mentee," in line)
    lines[mentee] = lines[mentee].replace(",mentee,", ",teacher,")
    people = tmp_path / "people.csv"
    people.write_text("\n".join(lines) + "\n", encoding="utf-8")
    out, report = tmp_path / "m.csv", tmp_path / "r.json"
    out.write_text("the previous run\n")
    assert main([str(people), "-o", str(out), "--report", str(report)]) == 2
    err = capsys.readouterr().err
    assert "line 3, email:" in err
    assert f"line {mentee + 1}, role:" in err
    assert out.read_text() == "the previous run\n"
    assert not report.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["m.csv", "people.csv"]


@pytest.mark.parametrize(
    ("settings", "expected"),
    [
        ("[weights]\nskill = 1\n", 'weights: unknown key "skill"; did you mean "skills"?'),
        ("[weights]\nhours = -1\n", "weights.hours: -1 is out of range; use a number 0 or more"),
        (
            "[weights]\nvalues = 0\nskills = 0\nhours = 0\nlanguages = 0\nseniority = 0\nchannels = 0\n",
            "weights: all weights are zero; at least one criterion must count",
        ),
        (
            "[constraints]\nmin_shared_hours = 'two'\n",
            "constraints.min_shared_hours: must be a number, not 'two'",
        ),
        ("[weights\n", "not valid TOML"),
    ],
)
def test_it_refuses_a_bad_settings_file(
    people_csv: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], settings: str, expected: str
) -> None:
    config = tmp_path / "weights.toml"
    config.write_text(settings)
    out = tmp_path / "m.csv"
    assert main([str(people_csv), "-o", str(out), "--config", str(config)]) == 2
    assert expected in capsys.readouterr().err
    assert not out.exists()


def test_it_needs_both_mentors_and_mentees(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    people = tmp_path / "people.csv"
    alone = [replace(p, manager_id="", exclude_ids=()) for p in MENTEES]  # managers are mentors here
    people.write_text(write_participants_csv(alone), encoding="utf-8")
    out = tmp_path / "m.csv"
    assert main([str(people), "-o", str(out)]) == 2
    assert "the file has no mentors" in capsys.readouterr().err
    assert not out.exists()


def test_it_reports_a_missing_file_and_a_missing_folder(
    people_csv: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main([str(tmp_path / "nobody.csv"), "-o", str(tmp_path / "m.csv")]) == 2
    assert "cannot read the file" in capsys.readouterr().err
    out, scores = tmp_path / "m.csv", tmp_path / "no" / "scores.csv"
    assert main([str(people_csv), "-o", str(out), "--scores", str(scores)]) == 2
    assert "cannot write" in capsys.readouterr().err
    assert not out.exists()


def test_it_runs_without_the_cycle_collector_and_leaves_it_as_it_was(
    people_csv: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: list[bool] = []
    monkeypatch.setattr("matching_engine.cli._write_all", lambda files: seen.append(gc.isenabled()))
    assert gc.isenabled()
    assert main([str(people_csv), "-o", str(tmp_path / "m.csv")]) == 0
    assert seen == [False]
    assert gc.isenabled()
    gc.disable()
    try:
        assert main([str(tmp_path / "none.csv"), "-o", str(tmp_path / "m.csv")]) == 2
        assert not gc.isenabled()
    finally:
        gc.enable()
    assert main([str(tmp_path / "none.csv"), "-o", str(tmp_path / "m.csv")]) == 2
    assert gc.isenabled()


def test_it_runs_as_a_module(people_csv: Path, tmp_path: Path) -> None:
    out = tmp_path / "m.csv"
    command = [sys.executable, "-m", "matching_engine.cli", str(people_csv), "-o", str(out), "--k", "3"]
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    assert "Matching quality (optimal)" in result.stdout
    assert out.exists()


HEAVY = ("numpy", "scipy", "ortools", "openpyxl", "sklearn", "pandas")


def test_it_imports_nothing_heavy_until_it_runs(people_csv: Path, tmp_path: Path) -> None:
    """``--help`` and a bad file answer without NumPy, SciPy, OR-Tools or openpyxl; a run loads
    what it needs (and never scikit-learn)."""
    script = (
        "import sys\n"
        "from matching_engine.cli import main\n"
        "status = main(sys.argv[1:])\n"
        f"print(status, *sorted(m for m in {HEAVY!r} if m in sys.modules))\n"
    )

    def loaded(*args: str) -> list[str]:
        result = subprocess.run(
            [sys.executable, "-c", script, *args], capture_output=True, text=True, check=False
        )
        return result.stdout.splitlines()[-1].split()

    assert loaded(str(tmp_path / "missing.csv"), "-o", str(tmp_path / "m.csv")) == ["2"]
    assert loaded(str(people_csv), "-o", str(tmp_path / "m.csv")) == ["0", "numpy", "ortools", "scipy"]


def test_it_refuses_bad_arguments(
    people_csv: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = str(tmp_path / "m.csv")
    assert main([str(people_csv), "-o", out, "--k", "0"]) == 2
    assert "--k: '0' is not a whole number of 1 or more" in capsys.readouterr().err
    assert main([str(people_csv), "-o", out, "--mode", "fastest"]) == 2
    assert main([str(people_csv)]) == 2  # no -o
    assert not (tmp_path / "m.csv").exists()


def test_it_reads_weights_and_constraints() -> None:
    config = parse_config(
        """
        [weights]
        skills = 2
        channels = 0
        [constraints]
        min_shared_hours = 2.5
        separate_departments = true
        excluded_pairs = [["E1", "E2"]]
        """
    )
    assert config.weights == Weights(skills=2.0, channels=0.0)
    assert config.constraints == Constraints(
        min_shared_hours=2.5, separate_departments=True, excluded_pairs=frozenset({("E1", "E2")})
    )
    assert parse_config("") == parse_config("[weights]\n[constraints]\n")


def test_it_reports_every_settings_problem_at_once() -> None:
    with pytest.raises(ConfigError) as caught:
        parse_config(
            """
            mode = "fast"
            [weights]
            hours = true
            languages = nan
            [constraints]
            require_common_language = "yes"
            excluded_pairs = [["E1"], "E3"]
            min_shared_hours = 200
            """
        )
    assert caught.value.errors == (
        'unknown key "mode"; known: weights, constraints',
        "weights.hours: must be a number, not True",
        "weights.languages: nan is out of range; use a number 0 or more",
        "constraints.min_shared_hours: 200 is out of range; use a number from 0 to 168",
        "constraints.excluded_pairs: item 1 must be [mentee id, mentor id], not ['E1']",
        "constraints.excluded_pairs: item 2 must be [mentee id, mentor id], not 'E3'",
        "constraints.require_common_language: must be true or false, not 'yes'",
    )


def test_it_reads_who_may_be_matched_on_an_incomplete_profile() -> None:
    config = parse_config('[constraints]\nallow_incomplete = ["E7", " E9 "]\nallow_all_incomplete = true\n')
    assert config.constraints.allow_incomplete == frozenset({"E7", "E9"})
    assert config.constraints.allow_all_incomplete
    assert config.constraints.lets_in("E1")
    with pytest.raises(ConfigError) as caught:
        parse_config('[constraints]\nallow_incomplete = "E7"\nallow_all_incomplete = 1\n')
    assert caught.value.errors == (
        'constraints.allow_incomplete: must be a list of participant ids, such as ["E1", "E2"]',
        "constraints.allow_all_incomplete: must be true or false, not 1",
    )
    with pytest.raises(ConfigError, match=r"item 2 must be a participant id, not ''"):
        parse_config('[constraints]\nallow_incomplete = ["E7", ""]\n')
