# SPDX-License-Identifier: GPL-3.0-or-later
"""Operators: the queue (queue.py) and editing the shot list (shots.py)."""
