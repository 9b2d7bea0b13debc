from django.urls import path

from . import views

app_name = "accounts"

urlpatterns = [
    path("profile/", views.profile, name="profile"),
    path("two-factor/new-secret/", views.new_totp_secret, name="new_totp_secret"),
    path("profile/renew/", views.request_renewal, name="request_renewal"),
    path("session/keep-alive/", views.keep_alive, name="keep_alive"),
    path("my-data/", views.my_data, name="my_data"),
    path("my-data/download/", views.my_data_download, name="my_data_download"),
    path("close/", views.close_account, name="close_account"),
    path("vetting/", views.vetting_queue, name="vetting_queue"),
    path("vetting/domains/", views.allowed_domains, name="allowed_domains"),
    path("vetting/domains/<int:pk>/rule/", views.allowed_domain_rule, name="allowed_domain_rule"),
    path("vetting/domains/<int:pk>/delete/", views.allowed_domain_delete, name="allowed_domain_delete"),
    path("vetting/<uuid:public_id>/", views.vetting_detail, name="vetting_detail"),
    path("vetting/<uuid:public_id>/decide/", views.vetting_decide, name="vetting_decide"),
    path("accounts/", views.account_list, name="account_list"),
    path("accounts/<uuid:public_id>/unlock/", views.account_unlock, name="account_unlock"),
    path("accounts/<uuid:public_id>/enable/", views.account_enable, name="account_enable"),
    path("accounts/<uuid:public_id>/end-sessions/", views.account_end_sessions, name="account_end_sessions"),
]
