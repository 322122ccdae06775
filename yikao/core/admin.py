"""The admin's TOTP devices: our ModelAdmin in place of django-otp's (see otp_admin.py)."""

from django.contrib import admin

from yikao.core import otp_admin

otp_admin.register(admin.site)
