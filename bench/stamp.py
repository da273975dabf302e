"""Shared by the benchmark's reference apps: how their map tells the page its date."""

from branca.element import MacroElement
from jinja2 import Template


class DateStamp(MacroElement):
    """Sets ``data-kb-date`` on the map's container, as the product's map does."""

    _template = Template("""{% macro script(this, kwargs) %}
{{ this._parent.get_name() }}.getContainer().dataset.kbDate = {{ this.date|tojson }};
{% endmacro %}""")

    def __init__(self, date: str):
        super().__init__()
        self.date = date
