"""Pages of the evidence area: files, course learning outcomes, certification, performances."""
