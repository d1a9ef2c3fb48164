"""Back-office URLs of the reports, mounted under /quan-tri/bao-cao-dinh-ky/ by wagtail_hooks."""

from django.urls import path

from . import views

app_name = "reports"

urlpatterns = [
    path("", views.ReportIndexView.as_view(), name="index"),
    path("lap-bao-cao/", views.ReportCreateView.as_view(), name="create"),
    path("bang-theo-doi/", views.DashboardView.as_view(), name="dashboard"),
    path("<int:pk>/", views.ReportDetailView.as_view(), name="detail"),
    path("<int:pk>/sua/", views.ReportEditView.as_view(), name="edit"),
    path("<int:pk>/su-kien-noi-bat/", views.NotableEventsView.as_view(), name="events"),
    path("<int:pk>/xoa/", views.ReportDeleteView.as_view(), name="delete"),
    path("<int:pk>/trang-thai/<str:action>/", views.ReportStatusView.as_view(), name="status"),
    path("<int:pk>/tai-ve.<str:fmt>", views.ReportDownloadView.as_view(), name="download"),
    path("<int:pk>/bieu-do/<str:name>.png", views.ReportChartView.as_view(), name="chart"),
]
