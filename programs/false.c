// false: does nothing, unsuccessfully (exit status 1).
// usage: false
int main(void)
{
    return 1;
}
