from django.contrib import admin

from .models import Skill


@admin.register(Skill)
class SkillAdmin(admin.ModelAdmin):
    list_display = ["key", "name", "name_en", "position"]
    search_fields = ["key", "name", "name_en"]
