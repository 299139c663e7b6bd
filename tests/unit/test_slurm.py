"""Slurm job folders (core/slurm.py): the array script, the contact-sheet
job and submit.sh, with only the options given written, every value checked
or quoted. The real cluster runs them in tests/farm/test_slurm.py."""

import shlex
import subprocess

import pytest

from multi_render.core.slurm import (
    SlurmOptions,
    array_script,
    check,
    check_folder,
    final_script,
    job_name,
    submit_script,
)

BLEND = "/shared/My $HOME file's (1).blend"


def _directives(script: str) -> list[str]:
    return [line for line in script.splitlines() if line.startswith("#SBATCH")]


def test_defaults_leave_the_cluster_to_choose() -> None:
    script = array_script(BLEND, "/shared/job", 5, SlurmOptions(), "multi-render-x")
    assert _directives(script) == [
        "#SBATCH --job-name=multi-render-x",
        '#SBATCH --chdir="/shared/job"',
        "#SBATCH --array=0-4",
        '#SBATCH --output="/shared/job/logs/%A_%a.log"',
    ]


def test_each_option_given_is_written() -> None:
    options = SlurmOptions(partition="gpu", time_limit="1-02:00:00", cpus_per_task=8, gres="gpu:a100:1")
    directives = _directives(array_script(BLEND, "/j", 1, options, "n"))
    assert "#SBATCH --partition=gpu" in directives
    assert "#SBATCH --time=1-02:00:00" in directives
    assert "#SBATCH --cpus-per-task=8" in directives
    assert "#SBATCH --gres=gpu:a100:1" in directives
    assert "#SBATCH --array=0-0" in directives


def test_the_render_command_reaches_blender_word_for_word() -> None:
    """The file's name with $, quotes and spaces, and a Blender path with a
    space, come out of the shell as they went in."""
    options = SlurmOptions(blender="/opt/Blender 5/blender")
    script = array_script(BLEND, "/j", 2, options, "n")
    line = script.splitlines()[-1]
    assert line.startswith("exec ")
    words = shlex.split(line.removeprefix("exec ").replace('"$SLURM_ARRAY_TASK_ID"', "7"))
    assert words == [
        "/opt/Blender 5/blender", "-b", "-c", "multi_render", "render", BLEND,
        "--task-file", "/j/tasks.json", "--task", "7",
    ]  # fmt: skip


def test_the_final_job_renders_nothing_new() -> None:
    script = final_script(BLEND, "/j", SlurmOptions(contact_sheet=True), "n")
    assert "--array" not in script
    assert script.splitlines()[-1].endswith("--all-tasks --skip-existing-value=true --contact-sheet")
    assert final_script(BLEND, "/j", SlurmOptions(), "n").splitlines()[-1].endswith("--skip-existing-value=true")


@pytest.mark.parametrize("final", [False, True])
def test_scripts_are_valid_shell(final: bool, tmp_path: object) -> None:
    for text in (
        array_script(BLEND, "/j", 3, SlurmOptions(), "n"),
        final_script(BLEND, "/j", SlurmOptions(), "n"),
        submit_script(final),
    ):
        checked = subprocess.run(["bash", "-n"], input=text, text=True, capture_output=True, check=False)
        assert checked.returncode == 0, checked.stderr
    assert ("afterok" in submit_script(final)) is final


@pytest.mark.parametrize(
    ("options", "message"),
    [
        (SlurmOptions(partition="gpu\n#SBATCH --uid=0"), "partition"),
        (SlurmOptions(partition="a b"), "partition"),
        (SlurmOptions(partition="gpu\n"), "partition"),
        (SlurmOptions(time_limit="30\n"), "time limit"),
        (SlurmOptions(time_limit="2 hours"), "time limit"),
        (SlurmOptions(cpus_per_task=-1), "CPUs per task"),
        (SlurmOptions(gres="gpu:1 --exclusive"), "GPUs per task"),
        (SlurmOptions(blender="  "), "Blender command"),
    ],
)
def test_options_slurm_would_not_take_are_refused(options: SlurmOptions, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        check(options)


@pytest.mark.parametrize("limit", ["30", "1:30", "02:00:00", "1-12", "2-00:00:00"])
def test_slurm_time_forms_are_taken(limit: str) -> None:
    check(SlurmOptions(time_limit=limit))


def test_job_names_are_plain() -> None:
    assert job_name("shots v2 (final)") == "multi-render-shots_v2_final"
    assert job_name("") == "multi-render-untitled"
    assert job_name("é") == "multi-render-untitled"


def test_a_folder_with_blanks_quotes_and_percent_signs() -> None:
    """sbatch reads #SBATCH lines itself: a blank would split the value, a
    "%" would start a file-name pattern."""
    folder = "/shared/My Jobs/it's 100%"
    directives = _directives(array_script(BLEND, folder, 2, SlurmOptions(), "n"))
    assert '#SBATCH --chdir="/shared/My Jobs/it\'s 100%"' in directives
    assert '#SBATCH --output="/shared/My Jobs/it\'s 100%%/logs/%A_%a.log"' in directives
    check_folder(folder)


@pytest.mark.parametrize("folder", ['/a"b', "/a\\b", "/a#b", "/a\nb", "/a\rb"])
def test_a_folder_no_sbatch_line_can_hold_is_refused(folder: str) -> None:
    with pytest.raises(ValueError, match="an #SBATCH line cannot"):
        check_folder(folder)
