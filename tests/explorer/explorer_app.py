"""Tiny app for AppTest: the explorer alone, on the DB named by the test."""
import os

from tracker.explorer_view import render_explorer

render_explorer(os.environ["H200_EXPLORER_TEST_DB"])
