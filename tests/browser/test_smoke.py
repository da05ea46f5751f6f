def test_home_page_opens(page):
    response = page.goto("/")

    assert response is not None
    assert response.status == 200
    assert page.locator("main").count() == 1
    assert page.locator("h1").first.is_visible()
    assert page.locator("html").get_attribute("lang") == "ja"
