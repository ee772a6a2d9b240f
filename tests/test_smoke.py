def test_home_page_greets_the_logged_in_official(client, pemda_user):
    client.force_login(pemda_user)
    response = client.get("/")
    assert response.status_code == 200
    assert "Kabupaten Barito Kuala" in response.content.decode()
