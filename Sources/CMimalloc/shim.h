// mimalloc (Debian's libmimalloc-dev): linked into the executable, it takes the place of glibc's
// malloc for the whole process; its header gives the options Proximus sets.
#include <mimalloc.h>
