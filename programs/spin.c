// spin: burns CPU in an endless loop until it is killed (for testing the
// scheduler, ps and kill).
// usage: spin
int main(void)
{
    volatile unsigned long counter = 0;

    for (;;)
        counter++;
}
