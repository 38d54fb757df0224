from django.urls import path

from ticketing import views

app_name = "ticketing"

urlpatterns = [
    path("events/<int:pk>/register/", views.register, name="register"),
    path("registrations/<str:token>/", views.manage, name="manage"),
    path("registrations/<str:token>/print/", views.print_tickets, name="print"),
    path("registrations/<str:token>/paid/", views.payment_return, name="payment_return"),
    path("payments/<slug:provider>/webhook/", views.payment_callback, name="payment_callback"),
    path("registrations/<str:token>/<slug:action>/", views.manage_action, name="manage_action"),
    path("tickets/<str:secret>/", views.ticket, name="ticket"),
    path("tickets/<str:secret>/qr.png", views.ticket_qr, {"fmt": "png"}, name="ticket_qr_png"),
    path("tickets/<str:secret>/qr.svg", views.ticket_qr, {"fmt": "svg"}, name="ticket_qr_svg"),
    path("checkin/", views.scanner_index, name="scanner_index"),
    path("checkin/<int:pk>/", views.scanner, name="scanner"),
    path(
        "staff/events/<int:pk>/registrations/",
        views.event_registrations,
        name="event_registrations",
    ),
    path("staff/events/<int:pk>/payments/", views.event_payments, name="event_payments"),
    path(
        "staff/registrations/<int:pk>/payments/<slug:action>/",
        views.registration_payment_action,
        name="registration_payment_action",
    ),
    path(
        "staff/events/<int:pk>/attendees.csv",
        views.export_attendees,
        {"fmt": "csv"},
        name="export_attendees_csv",
    ),
    path(
        "staff/events/<int:pk>/attendees.xlsx",
        views.export_attendees,
        {"fmt": "xlsx"},
        name="export_attendees_xlsx",
    ),
]
