"""What the tests, the benchmark and the demo share, apart from the tests
themselves:
- scenes.py: builds test scenes and reads images, inside Blender;
- agent.py: runs inside a GUI Blender and executes Python sent over a socket;
- blender_app.py: the pytest side: starts Blender on an Xvfb display, talks
  to the agent, presses keys and clicks;
- xkeys.py: real key presses through the X server.
Blender ignores PYTHONPATH unless started with --python-use-system-env,
which is how every Blender the tests start finds this package."""
