// Links a layer's whole archive and nothing but what the layer itself links (CMakeLists.txt).
int main()
{
    return 0;
}
