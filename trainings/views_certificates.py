"""(being built)"""

urlpatterns = []
public_urlpatterns = []
