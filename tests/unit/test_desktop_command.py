"""The desktop notification's program on macOS and Windows: the text never
enters the script (it travels in environment variables), so a report with
quotes, newlines or script syntax cannot run anything."""

import pytest

from multi_render.core.desktop_command import TEXT_VARIABLE, TITLE_VARIABLE, desktop_command

HOSTILE = 'Rendered 1 shot. Failed: a"b: \'); do shell script "rm -rf ~" --\n$(whoami) `id` ${env:PATH}'


@pytest.mark.parametrize(("platform", "program"), [("darwin", "osascript"), ("win32", "powershell")])
def test_the_text_travels_outside_the_script(platform: str, program: str) -> None:
    command = desktop_command(platform, "shots.blend", HOSTILE)
    assert command is not None and command.argv[0] == program
    assert command.environment == {TITLE_VARIABLE: "shots.blend", TEXT_VARIABLE: HOSTILE}
    assert all(HOSTILE not in arg and "shots.blend" not in arg for arg in command.argv)
    assert all(TEXT_VARIABLE in arg for arg in command.argv[-1:])  # the script reads it


def test_linux_and_others_have_no_program() -> None:
    assert desktop_command("linux", "t", "x") is None
    assert desktop_command("freebsd14", "t", "x") is None
