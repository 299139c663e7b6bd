# SPDX-License-Identifier: GPL-3.0-or-later
"""The program that shows a desktop notification on macOS (osascript) and
Windows (PowerShell's toast notifications); Linux speaks D-Bus itself
(dbus_wire.py). The title and text travel in environment variables that the
fixed script reads, never inside it, so no text can become code."""

from __future__ import annotations

from dataclasses import dataclass

TITLE_VARIABLE = "MULTI_RENDER_TITLE"
TEXT_VARIABLE = "MULTI_RENDER_TEXT"

# AppleScript's `system attribute` reads an environment variable.
_APPLESCRIPT = (
    f'display notification (system attribute "{TEXT_VARIABLE}") with title (system attribute "{TITLE_VARIABLE}")'
)
# Windows PowerShell's own app id: toasts of an unregistered one are not shown.
_POWERSHELL_APP = r"{1AC14E77-02E7-4E5D-B744-2EB1AE5198B7}\WindowsPowerShell\v1.0\powershell.exe"
_POWERSHELL = "; ".join(
    [
        "$ErrorActionPreference = 'Stop'",
        "[Windows.UI.Notifications.ToastNotificationManager, Windows.UI.Notifications, ContentType = WindowsRuntime]"
        " | Out-Null",
        "$xml = [Windows.UI.Notifications.ToastNotificationManager]::GetTemplateContent("
        "[Windows.UI.Notifications.ToastTemplateType]::ToastText02)",
        "$texts = $xml.GetElementsByTagName('text')",
        f"$texts.Item(0).AppendChild($xml.CreateTextNode($env:{TITLE_VARIABLE})) | Out-Null",
        f"$texts.Item(1).AppendChild($xml.CreateTextNode($env:{TEXT_VARIABLE})) | Out-Null",
        "$toast = [Windows.UI.Notifications.ToastNotification]::new($xml)",
        f"[Windows.UI.Notifications.ToastNotificationManager]::CreateToastNotifier('{_POWERSHELL_APP}').Show($toast)",
    ]
)


@dataclass(frozen=True)
class DesktopCommand:
    argv: tuple[str, ...]
    environment: dict[str, str]  # added to the process's own


def desktop_command(platform: str, title: str, text: str) -> DesktopCommand | None:
    """What to run on `platform` (sys.platform) to show the notification;
    None where the add-on speaks to the desktop itself (Linux) or knows no way."""
    environment = {TITLE_VARIABLE: title, TEXT_VARIABLE: text}
    if platform == "darwin":
        return DesktopCommand(("osascript", "-e", _APPLESCRIPT), environment)
    if platform == "win32":
        return DesktopCommand(("powershell", "-NoProfile", "-NonInteractive", "-Command", _POWERSHELL), environment)
    return None
