// kyodo-kiosk entry point (filled in as the kiosk grows).
int main() { return 0; }
