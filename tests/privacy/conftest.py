import pytest


@pytest.fixture
def signed_in(client, resident):
    client.force_login(resident)
    return client
