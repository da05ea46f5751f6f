"""The written role and permission matrix of every page and API endpoint.

rules.py defines the roles and the Rule type, page_rules.py contains the
rules of every URL outside /api/ and api_rules.py those under /api/.
tests/security/test_permission_matrix.py requests each rule's URL as each
role and fails on a URL without a rule, on a rule without a URL and on
every role that gets a page it must not get, or is refused one it must
get. docs/roles-and-permissions.md is generated from the rules with
``manage.py permission_matrix``.

How to write a rule:

- ``name`` is the URL name with its namespace, as ``reverse()`` takes it,
  for example ``"volunteering:post_detail"``. Router names of the API have
  no namespace (``"post-list"``); one rule covers a name with and without
  the ``.json`` format suffix.
- ``allow`` is the set of roles that get the URL. Every other role must be
  refused: a 403 or 404, or for an anonymous visitor a redirect to the
  log-in page (pages) or a 401, 403 or 404 (API).
- ``target`` is a key of ``World.kwargs`` in tests/security/permission_world.py,
  naming the object whose ids fill the URL's keyword arguments. Leave it
  empty for a URL without arguments.
- ``method`` is "POST" for an action endpoint, or "PATCH" or "DELETE"
  for an API endpoint that takes them; the test sends an empty body. Such
  a rule's allowed roles must not get 401, 403, 404 or a redirect to the
  log-in page, but a 400 or a redirect back to the page counts as
  allowed, because the empty body is not a valid form.
- ``note`` is plain English shown in the written matrix, for the object
  rule behind the set of roles (for example "staff of the post's group").

A page's URL name may have several rules, one for each (method, target):
for example ``volunteering:post_detail`` of a published post (everyone)
and of a draft (its group's staff only). An API name has one rule per
method, which test_api_rules_unique checks.
"""
