from wagtail import hooks


@hooks.register("before_serve_page")
def mark_page_for_counting(page, request, serve_args, serve_kwargs):
    # The middleware counts the view after the response; it only needs the id.
    request.visit_page_id = page.id
