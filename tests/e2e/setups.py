"""Python that GUI tests run inside Blender to build their scenes."""

# One shot per camera of the scene just built, output into {output};
# afterwards `scene` and `shots` name them in Blender.
SHOT_PER_CAMERA = """
scene = bpy.context.scene
scene.render.filepath = {output!r} + os.sep
bpy.context.preferences.view.render_display_type = "NONE"
scene.multi_render.shots.clear()
bpy.ops.multi_render.shots_from_cameras()
shots = scene.multi_render.shots
"""


def color_shots(count: int) -> str:
    """`count` colour cameras with one shot each."""
    return (
        f"""
import os
from testkit import scenes
cameras = scenes.build_color_cameras({count}, size=32)
"""
        + SHOT_PER_CAMERA
    )


THREE_SHOTS = color_shots(3)

# The add-on's handlers that stay while it is enabled (file load and save;
# a Flamenco job is no longer followed once another file loads);
# render handlers exist only while a queue runs.
PERMANENT_HANDLERS = [
    "load_post:on_load_post",
    "load_pre:on_load_pre",
    "load_pre:stop_following_flamenco",
    "save_post:on_save_post",
    "save_post_fail:on_save_post",
    "save_pre:on_save_pre",
]
