"""Text exports of the published PDFs: the tab-separated one (`tabbed`) and the wrapped one (`wrapped`)."""
