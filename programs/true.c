// true: does nothing, successfully.
// usage: true
int main(void)
{
    return 0;
}
