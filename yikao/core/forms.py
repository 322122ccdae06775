from django.forms.renderers import BaseRenderer, Jinja2, TemplatesSetting
from django.template import TemplateDoesNotExist


class FormRenderer(BaseRenderer):
    """Every form renders its fields with a label, the help text and errors next to them.

    Forms and widgets render with Jinja2 (templates in yikao/core/jinja2/ and Django's
    own jinja2 widget templates), pages with Django's templates: a form page such as
    个人信息 renders thousands of widget sub-templates, and Django's template engine spent
    ~25 ms of CPU on them per request (bench/README.md). Templates that exist only for
    Django's engine (the admin's widgets) are rendered by it.
    """

    form_template_name = "core/forms/form.html"
    field_template_name = "core/forms/field.html"

    def __init__(self):
        self.jinja2 = Jinja2()
        self.django = TemplatesSetting()

    def get_template(self, template_name):
        try:
            return self.jinja2.get_template(template_name)
        except TemplateDoesNotExist:
            return self.django.get_template(template_name)
