"""A Pelican writer that describes pages instead of writing them.

`write_file` takes the same arguments as Pelican's (generators and plugins call it as usual) and
works out the same pages: the same names, paginated the same way, with the same context. Each page
goes into the run's OutputTable, to be rendered later: all at once by a one-shot build, or one at a
time, when asked, by the live preview. Written with Pelican's public API only (Writer, Paginator).
"""

import logging

from pelican import signals
from pelican.paginator import Paginator
from pelican.utils import get_relative_path, path_to_url, sanitised_join
from pelican.writers import Writer

from .outputs import outputs_of

logger = logging.getLogger(__name__)


class DescribingWriter(Writer):
    def __init__(self, output_path, settings=None):
        super().__init__(output_path, settings)
        self.outputs = outputs_of(self.settings)
        self.described, self.overriding = set(), set()

    def write_file(self, name, template, context, relative_urls=False, paginated=None, template_name=None,
                   override_output=False, url=None, **kwargs):
        if not name:
            return
        if paginated is None:
            paginated = {key: value for key, value in kwargs.items() if key in {"articles", "dates"}}
        if paginated and template_name in self.settings["PAGINATED_TEMPLATES"]:
            per_page = self.settings["PAGINATED_TEMPLATES"][template_name] or self.settings["DEFAULT_PAGINATION"]
            paginators = {key: Paginator(name, url, value, self.settings, per_page) for key, value in paginated.items()}
            for number in range(next(iter(paginators.values())).num_pages):
                page_kwargs = dict(kwargs)
                for key, paginator in paginators.items():
                    page = paginator.page(number + 1)
                    page_kwargs.update({
                        f"{key}_paginator": paginator,
                        f"{key}_page": page,
                        f"{key}_previous_page": paginator.page(number) if number > 0 else None,
                        f"{key}_next_page": paginator.page(number + 2) if number + 1 < paginator.num_pages else None,
                    })
                self.describe(page.save_as, template, context, page_kwargs, relative_urls, override_output)
        else:
            self.describe(name, template, context, kwargs, relative_urls, override_output)

    def describe(self, name, template, context, kwargs, relative_urls, override):
        path = sanitised_join(self.output_path, name)  # refuses names outside the output
        # Pelican's rule: a page written with override_output (a Save_As page) keeps its file; a
        # later plain write to it is skipped, and any other second write is a mistake.
        if name in self.overriding:
            if override:
                raise RuntimeError(f"File {path} is set to be overridden twice")
            logger.info("Skipping %s", path)
            return
        if name in self.described and not override:
            raise RuntimeError(f"File {path} is to be overwritten")
        if override:
            self.overriding.add(name)
        self.described.add(name)
        # The page's own values over the run's context, as Pelican's writer makes its context. Only
        # they are kept until the page is rendered: a copy of the whole context (the settings and
        # every listing, about 9 KB) per page would be 0.4 GB at 50,000 pages. The run's context no
        # longer changes once generators write.
        own = {"localsiteurl": context.get("localsiteurl", None)}
        if relative_urls:
            own["SITEURL"] = own["localsiteurl"] = path_to_url(get_relative_path(name))
        own["output_file"] = name
        own.update(kwargs)

        page = DescribedPage(template, context, own)
        self.outputs.add(name, page.render)
        # What Pelican's writer tells other plugins once a page is written (the sitemap listens).
        signals.content_written.send(path, context=page.context())


class DescribedPage:
    """A page to render: its template, the run's context and the page's own values."""

    __slots__ = ("template", "run_context", "own")  # one per page: 100,000 at 10,000 articles per language

    def __init__(self, template, run_context, own):
        self.template, self.run_context, self.own = template, run_context, own

    def context(self):
        context = self.run_context.copy()
        context.update(self.own)
        return context

    def render(self):
        if self.own["localsiteurl"]:
            self.run_context["localsiteurl"] = self.own["localsiteurl"]
        return self.template.render(self.context())
