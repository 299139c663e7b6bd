"""Where and when the queue writes Blender's autosave."""

from multi_render.core.autosave import AutosaveClock, autosave_name


def test_the_name_is_blenders() -> None:
    assert autosave_name("/home/a/scene.blend", 4321) == "scene_4321_autosave.blend"
    assert autosave_name("C:\\work\\Car Final.blend", 7) == "Car Final_7_autosave.blend"
    assert autosave_name("", 99) == "99_autosave.blend"  # never saved
    # Blender cuts six characters whatever they are, as wm_autosave_location does.
    assert autosave_name("/x/a.blend1", 5) == "a._5_autosave.blend"


def test_the_clock() -> None:
    clock = AutosaveClock(interval=60.0, last=100.0)
    assert not clock.due(159.9)
    assert clock.due(160.0)
    clock.written(175.0)
    assert not clock.due(200.0) and clock.due(235.0)
    assert not AutosaveClock(interval=0.0, last=0.0).due(1e9)  # Auto Save off
