from django.urls import path

from canvases.views import board, canvases, facilitation, fields, jtbd, notes, packs

app_name = "canvases"

urlpatterns = [
    path("", canvases.canvas_list, name="index"),
    path("packs/", packs.pack_list, name="pack_list"),
    path("packs/<int:pack>/progress/", packs.pack_progress, name="pack_progress"),
    path("packs/<int:pack>/download/", packs.pack_download, name="pack_download"),
    path("packs/<int:pack>/delete/", packs.pack_delete, name="pack_delete"),
    path("packs/<int:pack>/retry/", packs.pack_retry, name="pack_retry"),
    path("<int:canvas>/", board.board, name="board"),
    path("<int:canvas>/poll/", board.board_poll, name="board_poll"),
    path("<int:canvas>/undo/", board.board_undo, name="board_undo"),
    path("<int:canvas>/facilitate/", facilitation.board_facilitate, name="board_facilitate"),
    path("<int:canvas>/copy/", canvases.canvas_copy, name="canvas_copy"),
    path("<int:canvas>/history/", canvases.canvas_history, name="canvas_history"),
    path("<int:canvas>/pdf/", canvases.canvas_pdf, name="canvas_pdf"),
    path("<int:canvas>/fields/<slug:field>/", fields.field_update, name="field_update"),
    path("<int:canvas>/notes/", notes.note_add, name="note_add"),
    path("<int:canvas>/notes/<int:note>/", notes.note_detail, name="note_detail"),
    path("<int:canvas>/notes/<int:note>/move/", notes.note_move, name="note_move"),
    path("<int:canvas>/notes/<int:note>/delete/", notes.note_delete, name="note_delete"),
    path("<int:canvas>/notes/<int:note>/restore/", notes.note_restore, name="note_restore"),
    path("<int:canvas>/notes/<int:note>/vote/", facilitation.note_vote, name="note_vote"),
    path("<int:canvas>/view/", jtbd.panel_options, name="panel_options"),
    path("<int:canvas>/rows/", jtbd.filter_row_add, name="filter_row_add"),
    path("rows/<int:row>/", jtbd.filter_row_update, name="filter_row_update"),
    path("rows/<int:row>/remove/", jtbd.filter_row_remove, name="filter_row_remove"),
    path("<int:canvas>/items/", jtbd.item_add, name="item_add"),
    path("items/<int:item>/", jtbd.item_update, name="item_update"),
    path("items/<int:item>/remove/", jtbd.item_remove, name="item_remove"),
    path("items/<int:item>/decision/", jtbd.item_decide, name="item_decide"),
    path("<int:canvas>/survey/", jtbd.survey_import, name="survey_import"),
]
