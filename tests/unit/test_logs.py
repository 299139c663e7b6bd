from multi_render.core.logs import logger


def test_every_module_logs_under_multi_render_whatever_the_installed_package() -> None:
    assert logger("bl_ext.user_default.multi_render.session").name == "multi_render.session"
    assert logger("multi_render.core.output_files").name == "multi_render.core.output_files"
    assert logger("multi_render").name == "multi_render"
    assert logger("bl_ext.user_default.multi_render.session").parent is logger("multi_render")
