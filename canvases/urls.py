from django.urls import path

from canvases.views import bdn, board, canvases, facilitation, fields, notes, packs, trace

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
    path("<int:canvas>/bdn/nodes/", bdn.node_add, name="bdn_node_add"),
    path("bdn/nodes/<int:node>/", bdn.node_change, name="bdn_node_change"),
    path("bdn/nodes/<int:node>/remove/", bdn.node_remove, name="bdn_node_remove"),
    path("bdn/nodes/<int:node>/links/", bdn.link_add, name="bdn_link_add"),
    path("bdn/links/<int:link>/remove/", bdn.link_remove, name="bdn_link_remove"),
    path("jobs/<int:job>/trace/", trace.job_trace, name="job_trace"),
]
