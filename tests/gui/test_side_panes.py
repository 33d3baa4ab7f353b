"""Narrow windows: the reader keeps a readable width; side panes shrink, then fold, and come back."""

from __future__ import annotations

from desktop_reader.gui.side_panes import ENTITIES_MIN, LIST_MIN, READER_MIN


def _resize(qtbot, window, width, height=700):  # type: ignore[no-untyped-def]
    window.resize(width, height)
    qtbot.waitUntil(lambda: window.splitter.width() > 0 and abs(window.width() - width) < 2)
    return _settled(qtbot, window)


def _settled(qtbot, window):  # type: ignore[no-untyped-def]
    """The widths once Qt has placed the handles of panes that were just shown or hidden."""
    # A pane shown or hidden moves its handle a turn of the event loop later; then it re-fits.
    qtbot.waitUntil(lambda: _widths(window)[2] >= min(READER_MIN, window.splitter.width()))
    return _widths(window)


def _widths(window):  # type: ignore[no-untyped-def]
    """(sidebar, list, reader, entity tabs) widths."""
    s = window.splitter
    parts = (window.reading.sidebar, window.list_view.parentWidget(), window.reader.parentWidget(), window.side_tabs)
    return tuple(s.sizes()[s.indexOf(w)] for w in parts)


def test_the_reader_gets_the_space_and_side_panes_fold_in_order(qtbot, make_window, library):
    window = make_window(library)
    sidebar, lst, reader, entities = _resize(qtbot, window, 1300)
    assert reader >= READER_MIN and lst >= LIST_MIN and entities >= ENTITIES_MIN and sidebar > 0
    assert reader > lst  # the reader is never narrower than the list
    sidebar, lst, reader, entities = _resize(qtbot, window, 1000)
    assert reader >= READER_MIN and sidebar == 0 and entities >= ENTITIES_MIN  # the tag sidebar folds first
    sidebar, lst, reader, entities = _resize(qtbot, window, 820)
    assert reader >= READER_MIN and entities == 0 and not window.side_tabs.isVisible()
    assert not window.actions.show_entities.isChecked() and lst >= LIST_MIN
    sidebar, lst, reader, entities = _resize(qtbot, window, 600)
    assert lst == entities == 0 and reader > 0
    sidebar, lst, reader, entities = _resize(qtbot, window, 1800)
    assert sidebar > 0 and lst >= 300 and entities >= 250 and window.actions.show_list.isChecked()


def test_a_folded_pane_comes_back_from_its_toggle(qtbot, make_window, library):
    window = make_window(library)
    _resize(qtbot, window, 820)
    window.actions.show_entities.trigger()
    _sidebar, lst, reader, entities = _settled(qtbot, window)
    assert window.side_tabs.isVisible() and entities >= ENTITIES_MIN
    # Room for one side pane only: the one asked for stays, the list folds (its toggle says so).
    assert reader >= READER_MIN and lst == 0 and not window.actions.show_list.isChecked()
    window.actions.show_list.trigger()  # asked for too: both get their minimum
    qtbot.waitUntil(lambda: _widths(window)[1] >= LIST_MIN and _widths(window)[3] >= ENTITIES_MIN)
    window.actions.show_entities.trigger()  # hidden by hand: the reader takes the room
    _sidebar, lst, reader, entities = _settled(qtbot, window)
    assert not window.side_tabs.isVisible() and reader >= READER_MIN and lst >= LIST_MIN
