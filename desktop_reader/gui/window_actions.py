"""The main window's actions and menus, with their shortcuts; MainWindow connects them."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMainWindow


@dataclass
class Actions:
    import_files: QAction
    import_folder: QAction
    open_original: QAction
    open_web_page: QAction
    copy_citation: QAction
    delete_article: QAction
    rebuild_index: QAction
    settings: QAction
    quit: QAction
    find: QAction
    next_hit: QAction
    previous_hit: QAction
    zoom_in: QAction
    zoom_out: QAction
    zoom_reset: QAction
    highlight_entities: QAction
    show_list: QAction
    show_entities: QAction
    about: QAction


def _action(window: QMainWindow, text: str, *shortcuts: QKeySequence | str, tip: str = "") -> QAction:
    action = QAction(text, window)
    if shortcuts:
        action.setShortcuts([QKeySequence(s) for s in shortcuts])
    if tip:
        action.setStatusTip(tip)
    window.addAction(action)  # shortcuts work wherever the focus is
    return action


def create_actions(window: QMainWindow) -> Actions:
    a = Actions(
        import_files=_action(window, "&Import Files…", QKeySequence.StandardKey.Open, tip="Import saved pages"),
        import_folder=_action(window, "Import &Folder…", "Ctrl+Shift+O", tip="Import every article in a folder"),
        open_original=_action(window, "Open &Original File", "Ctrl+Shift+Return"),
        open_web_page=_action(window, "Open &Web Page", "Ctrl+Return"),
        copy_citation=_action(window, "Copy &Citation", "Ctrl+Shift+C"),
        delete_article=_action(window, "&Delete Article", QKeySequence.StandardKey.Delete),
        rebuild_index=_action(window, "&Rebuild Search Index"),
        settings=_action(window, "&Settings…", QKeySequence.StandardKey.Preferences, "Ctrl+,"),
        quit=_action(window, "&Quit", "Ctrl+Q"),
        find=_action(window, "&Find", "Ctrl+F", tip="Search the library"),
        next_hit=_action(window, "&Next Match", "F3"),
        previous_hit=_action(window, "&Previous Match", "Shift+F3"),
        zoom_in=_action(window, "&Larger Text", "Ctrl++", "Ctrl+="),
        zoom_out=_action(window, "&Smaller Text", "Ctrl+-"),
        zoom_reset=_action(window, "&Default Text Size", "Ctrl+0"),
        highlight_entities=_action(window, "&Highlight Entities", "Ctrl+E"),
        # Narrow windows fold the side panes away (gui/side_panes.py); these bring them back.
        show_list=_action(window, "Show Article &List"),
        show_entities=_action(window, "Show &Entities Pane"),
        about=_action(window, "&About Desktop Reader"),
    )
    a.highlight_entities.setCheckable(True)
    menu = window.menuBar()
    file = menu.addMenu("&File")
    for item in (a.import_files, a.import_folder, None, a.rebuild_index, None, a.settings, None, a.quit):
        file.addSeparator() if item is None else file.addAction(item)
    article = menu.addMenu("&Article")
    for item in (a.open_original, a.open_web_page, a.copy_citation, None, a.delete_article):
        article.addSeparator() if item is None else article.addAction(item)
    view = menu.addMenu("&View")
    for item in (
        a.find,
        a.next_hit,
        a.previous_hit,
        None,
        a.zoom_in,
        a.zoom_out,
        a.zoom_reset,
        None,
        a.highlight_entities,
        None,
        a.show_list,
        a.show_entities,
    ):
        view.addSeparator() if item is None else view.addAction(item)
    menu.addMenu("&Help").addAction(a.about)
    return a
