// kyodo-sync: command-line front end of the kiosk's sync engine (filled in next).
#include <cstdio>
int main() {
    std::puts("kyodo-sync: not implemented yet");
    return 1;
}
