# SPDX-License-Identifier: GPL-3.0-or-later
"""The "Render Shots" tab of the 3D Viewport sidebar."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import bpy

from ..core import estimate
from ..core.overrides import OVERRIDES
from ..core.property_paths import PathError, parse_path, parse_value
from ..core.status import ShotStatus
from ..props import runtime_state, scene_shots, status_icon
from ..results import thumbnails
from ..shot import property_overrides, scene_reader

_WROTE = {ShotStatus.DONE.value, ShotStatus.SKIPPED.value}
CATEGORY = "Render Shots"  # the sidebar tab


def draw_queue_offers(layout: bpy.types.UILayout, runtime: Any, boxed: bool = True) -> None:
    """Each queue a Blender left unfinished, with Resume and Discard (a box
    each in the panel; a popup is its own box)."""
    for offer in runtime.queue_offers:
        box = layout.box() if boxed else layout.column()
        if offer.problem:
            box.label(text="A kept queue cannot be read", icon="ERROR")
            box.label(text=offer.problem)
        else:
            box.label(text=offer.text, icon="RECOVER_LAST")
            box.label(text=bpy.path.basename(offer.blend), icon="FILE_BLEND")
        row = box.row(align=True)
        if not offer.problem:
            row.operator("multi_render.queue_resume", icon="PLAY").path = offer.path
        row.operator("multi_render.queue_discard", icon="TRASH").path = offer.path


class MULTIRENDER_UL_shots(bpy.types.UIList):
    bl_idname = "MULTIRENDER_UL_shots"

    def draw_item(
        self,
        _context: bpy.types.Context,
        layout: bpy.types.UILayout,
        _data: Any,
        item: Any,
        _icon: int | None,
        _active_data: Any,
        _active_propname: str | None,
        _index: int | None = 0,
        _flt_flag: int | None = 0,
    ) -> None:
        row = layout.row(align=True)
        row.prop(item, "enabled", text="")
        row.prop(item, "name", text="", emboss=False)
        camera = row.row()
        camera.active = item.camera is not None
        camera.label(text=item.camera.name if item.camera else "No camera", icon="OUTLINER_OB_CAMERA")
        picture = thumbnails.icon(item.output) if item.status in _WROTE else 0
        if picture:
            row.label(text="", icon_value=picture)
        row.label(text="", icon=status_icon(item.status))  # type: ignore[arg-type]


class MULTIRENDER_MT_shot_list(bpy.types.Menu):
    bl_idname = "MULTIRENDER_MT_shot_list"
    bl_label = "Shot List"

    def draw(self, _context: bpy.types.Context) -> None:
        layout = self.layout
        if layout is None:
            return
        layout.operator("multi_render.shots_import", icon="IMPORT")
        layout.operator("multi_render.shots_export", icon="EXPORT")
        layout.separator()
        layout.operator("multi_render.farm_bundle_export", icon="NETWORK_DRIVE")
        layout.operator("multi_render.submit_flamenco", icon="NETWORK_DRIVE")


class MULTIRENDER_PT_shots(bpy.types.Panel):
    """The list, the Render Shots button and the progress: always at the top,
    so the main action is in sight in a small window; the selected shot's
    details are in the sub-panels below, each of them collapsible."""

    bl_idname = "MULTIRENDER_PT_shots"
    bl_label = "Render Shots"
    bl_space_type = "VIEW_3D"
    bl_region_type = "UI"
    bl_category = CATEGORY

    def draw(self, context: bpy.types.Context) -> None:
        layout = self.layout
        scene = context.scene
        if layout is None or scene is None:
            return
        data = scene_shots(scene)
        runtime = runtime_state(context.window_manager)

        row = layout.row()
        row.template_list("MULTIRENDER_UL_shots", "", data, "shots", data, "active_shot_index", rows=4)
        buttons = row.column(align=True)
        buttons.operator("multi_render.shot_add", icon="ADD", text="")
        buttons.operator("multi_render.shot_remove", icon="REMOVE", text="")
        buttons.separator()
        buttons.operator("multi_render.shot_duplicate", icon="DUPLICATE", text="")
        buttons.operator("multi_render.shots_from_cameras", icon="OUTLINER_OB_CAMERA", text="")
        buttons.separator()
        buttons.operator("multi_render.shot_move", icon="TRIA_UP", text="").direction = "UP"
        buttons.operator("multi_render.shot_move", icon="TRIA_DOWN", text="").direction = "DOWN"
        buttons.separator()
        buttons.menu("MULTIRENDER_MT_shot_list", icon="DOWNARROW_HLT", text="")

        options = layout.row()
        options.prop(data, "skip_existing")
        options.prop(data, "contact_sheet")
        layout.row().prop(data, "run_in", expand=True)
        if data.run_in == "BACKGROUND":
            layout.prop(data, "processes")
        column = layout.column()
        column.scale_y = 1.6
        # Greyed while a queue runs; its tooltip then says why.
        column.operator("multi_render.render_shots", icon="RENDER_STILL")
        if sum(1 for each in bpy.data.scenes if len(scene_shots(each).shots)) > 1:
            layout.operator(
                "multi_render.render_shots", text="Render All Scenes' Shots", icon="SCENE_DATA"
            ).all_scenes = True
        if runtime.is_running:
            self._draw_running(layout, runtime)
            return
        draw_queue_offers(layout, runtime)
        if runtime.farm_job:
            layout.label(text=f"Flamenco job '{runtime.farm_name}'", icon="NETWORK_DRIVE")
            layout.label(text=runtime.farm_text)
            row = layout.row()
            row.scale_y = 1.4
            row.operator("multi_render.stop_flamenco_job", text="Stop", icon="CANCEL")
            return
        statuses = {shot.status for shot in data.shots if shot.enabled}
        if ShotStatus.DONE.value in statuses and statuses - {ShotStatus.DONE.value}:
            layout.operator("multi_render.render_shots", text="Render Remaining", icon="FORWARD").only_remaining = True
        if runtime.last_report:
            layout.label(text=runtime.last_report, icon="INFO")

    @staticmethod
    def _draw_running(layout: bpy.types.UILayout, runtime: Any) -> None:
        layout.label(text=runtime.progress_text or "Starting...", icon="TIME")
        row = layout.row(align=True)
        row.scale_y = 1.4
        row.operator(
            "multi_render.pause_toggle",
            text="Resume" if runtime.is_paused else "Pause",
            icon="PLAY" if runtime.is_paused else "PAUSE",
        )
        row.operator("multi_render.stop", text="Stop", icon="CANCEL")
        if runtime.in_background:
            for line in runtime.process_lines.splitlines():
                layout.label(text=line, icon="CONSOLE")
            layout.label(text="Renders a copy saved at the start: edits made now do not change it", icon="INFO")
            layout.label(text="Esc over this panel stops it too")
        else:
            layout.label(text="Esc or the progress bar's X stops the render too")


def _selected(context: bpy.types.Context) -> tuple[int, Any] | None:
    """The selected shot and its index, if the list has one."""
    if context.scene is None:
        return None
    data = scene_shots(context.scene)
    index = data.active_shot_index
    return (index, data.shots[index]) if 0 <= index < len(data.shots) else None


class SubPanel(bpy.types.Panel):
    """A sub-panel of the Render Shots panel (not registered itself)."""

    bl_space_type = "VIEW_3D"
    bl_region_type = "UI"
    bl_category = CATEGORY
    bl_parent_id = "MULTIRENDER_PT_shots"


class ShotSubPanel(SubPanel):
    """A part of the selected shot's details, under the main panel."""

    @classmethod
    def poll(cls, context: bpy.types.Context) -> bool:
        return _selected(context) is not None

    def draw(self, context: bpy.types.Context) -> None:
        selected = _selected(context)
        if self.layout is not None and selected is not None and context.scene is not None:
            self.draw_shot(context.scene, self.layout, *selected)

    def draw_shot(self, scene: bpy.types.Scene, layout: bpy.types.UILayout, index: int, shot: Any) -> None:
        raise NotImplementedError


class MULTIRENDER_PT_shot(ShotSubPanel):
    bl_idname = "MULTIRENDER_PT_shot"
    bl_label = "Shot"

    def draw_shot(self, scene: bpy.types.Scene, layout: bpy.types.UILayout, index: int, shot: Any) -> None:
        column = layout.column()
        column.use_property_split = True
        column.use_property_decorate = False
        column.prop(shot, "name")
        column.prop(shot, "camera")
        column.prop(shot, "filepath")
        output = scene_reader.shot_preview(scene, shot, index)
        if output.error:
            layout.label(text=f"Output path: {output.error}", icon="ERROR")
        elif shot.use_frame_range:
            layout.label(text=output.blender_path, icon="FILE_MOVIE")
            frames, right = scene_reader.frames_summary(shot)
            layout.label(
                text=f"{frames}, numbered by Blender" if right else frames, icon="BLANK1" if right else "ERROR"
            )
            _draw_movie(layout, shot)
        else:
            for file in output.files:
                layout.label(text=file, icon="FILE_IMAGE")
        for node in scene_reader.read_node_outputs(scene, shot, index, datetime.now(), ask_blender=False):
            text = node.error or node.absolute_folder
            layout.label(text=f"{node.node}: {text}", icon="ERROR" if node.error else "NODE_COMPOSITING")
        row = layout.row()
        row.enabled = False
        row.prop(shot, "status")
        if shot.output:
            layout.label(text=f"Wrote {shot.output}", icon="CHECKMARK")
            picture = thumbnails.icon(shot.output) if shot.status in _WROTE else 0
            if picture:
                layout.template_icon(icon_value=picture, scale=8.0)
                layout.operator("multi_render.shot_image_open", icon="IMAGE_DATA").index = index
        if shot.movie:
            layout.label(text=f"Movie {shot.movie}", icon="FILE_MOVIE")
        if shot.last_seconds > 0:
            layout.label(text=f"Last render took {estimate.duration_text(shot.last_seconds)}", icon="TIME")


def _draw_movie(layout: bpy.types.UILayout, shot: Any) -> None:
    """A range shot's Movie option: its format and, once ticked, its path."""
    row = layout.row(align=True)
    row.prop(shot, "make_movie")
    format_row = row.row(align=True)
    format_row.active = shot.make_movie
    format_row.prop(shot, "movie_format", text="")
    if shot.make_movie:
        column = layout.column()
        column.use_property_split = True
        column.use_property_decorate = False
        column.prop(shot, "movie_path")


class MULTIRENDER_PT_shot_overrides(ShotSubPanel):
    bl_idname = "MULTIRENDER_PT_shot_overrides"
    bl_label = "Overrides"

    def draw_shot(self, scene: bpy.types.Scene, layout: bpy.types.UILayout, _index: int, shot: Any) -> None:
        _draw_overrides(scene, layout, shot)


class MULTIRENDER_PT_shot_properties(ShotSubPanel):
    bl_idname = "MULTIRENDER_PT_shot_properties"
    bl_label = "Property Overrides"

    def draw_shot(self, _scene: bpy.types.Scene, layout: bpy.types.UILayout, _index: int, shot: Any) -> None:
        _draw_property_overrides(layout, shot)


def _override_row(layout: bpy.types.UILayout, shot: Any, toggle: str) -> bpy.types.UILayout:
    """The override's tick box with its name; on the right, greyed until
    ticked, room for a single value."""
    split = layout.split(factor=0.45, align=True)
    split.prop(shot, toggle)
    values = split.row(align=True)
    values.active = bool(getattr(shot, toggle))
    return values


def _override_values(layout: bpy.types.UILayout, shot: Any, toggle: str, names: tuple[str, ...]) -> None:
    """An override of several values: its tick box, then (once ticked) the
    values with their labels, so an unused override takes one line."""
    layout.prop(shot, toggle)
    if getattr(shot, toggle):
        column = layout.column(align=True)
        column.use_property_split = True
        column.use_property_decorate = False
        # A frame list replaces start, end and step: they are shown unused.
        listed = toggle == "use_frame_range" and bool(shot.frame_list.strip())
        for name in names:
            row = column.row(align=True)
            row.active = not listed or name == "frame_list"
            row.prop(shot, name)


def _draw_overrides(scene: bpy.types.Scene, box: bpy.types.UILayout, shot: Any) -> None:
    box.label(text="Unticked: the scene's own value")
    column = box.column(align=True)
    for override in OVERRIDES:
        if not override.is_single:
            _override_values(column, shot, override.toggle, tuple(field.prop for field in override.fields))
            continue
        field = override.fields[0].prop
        values = _override_row(column, shot, override.toggle)
        if override.fields[0].names == "view_layers":
            values.prop_search(shot, field, scene, "view_layers", text="")
        else:
            values.prop(shot, field, text="")
    collections = box.column(align=True)
    for number, entry in enumerate(shot.collections):
        row = collections.row(align=True)
        row.prop(entry, "collection", text="")
        row.prop(entry, "hidden", text="Hide" if entry.hidden else "Show", toggle=True)
        row.operator("multi_render.shot_collection_remove", text="", icon="X").index = number
    collections.operator(
        "multi_render.shot_collection_add", text="Show / Hide a Collection", icon="OUTLINER_COLLECTION"
    )


def _describe(item: Any) -> tuple[str, str, str]:
    """A readable name for a property override ("Key: Power"), the view of
    its value to draw (props.py) and its problem, if it has one."""
    try:
        target = property_overrides.resolve(parse_path(item.data_path))
    except PathError as error:
        return item.data_path.strip() or "(no data path)", "value", str(error)
    try:
        property_overrides.check_value(target, parse_value(item.value))
    except PathError as error:
        return property_overrides.label(target), "value", str(error)
    return property_overrides.label(target), property_overrides.widget(target), ""


def _draw_property_overrides(box: bpy.types.UILayout, shot: Any) -> None:
    column = box.column(align=True)
    column.label(text="Right-click any property > Add to Shot Overrides")
    for number, item in enumerate(shot.property_overrides):
        name, view, problem = _describe(item)
        row = column.row(align=True)
        row.prop(item, "enabled", text="")
        values = row.row(align=True)
        values.active = item.enabled
        values.prop(item, view, text=name)
        row.operator("multi_render.property_override_remove", text="", icon="X").index = number
        if problem:
            column.prop(item, "data_path", text="Path")
            column.label(text=problem, icon="ERROR")
    column.operator("multi_render.property_override_new", icon="ADD")


class MULTIRENDER_PT_history(SubPanel):
    """The last runs, newest first; the newest one's shots below it."""

    bl_idname = "MULTIRENDER_PT_history"
    bl_label = "History"
    bl_options = {"DEFAULT_CLOSED"}

    def draw(self, context: bpy.types.Context) -> None:
        layout = self.layout
        if layout is None or context.scene is None:
            return
        data = scene_shots(context.scene)
        if data.contact_sheet:
            layout.prop(data, "contact_sheet_path", text="Contact Sheet")
        sheet = runtime_state(context.window_manager).last_contact_sheet
        if sheet:
            layout.label(text=f"Last contact sheet: {sheet}", icon="IMAGE_DATA")
        if not data.history:
            layout.label(text="No run yet")
            return
        column = layout.column(align=True)
        for number, run in enumerate(data.history):
            done = sum(shot.status in _WROTE for shot in run.shots)
            text = (
                f"{run.started.replace('T', ' ')}  {done}/{len(run.shots)} done  {estimate.duration_text(run.seconds)}"
            )
            column.label(text=text, icon="CHECKMARK" if done == len(run.shots) else "ERROR")
            if number == 0:
                for shot in run.shots:
                    column.label(text=f"{shot.name}: {shot.status.lower()}  {shot.reason}", icon="BLANK1")


CLASSES = (
    MULTIRENDER_UL_shots,
    MULTIRENDER_MT_shot_list,
    MULTIRENDER_PT_shots,
    MULTIRENDER_PT_shot,
    MULTIRENDER_PT_shot_overrides,
    MULTIRENDER_PT_shot_properties,
    MULTIRENDER_PT_history,
)
