# waybill-server-lib: see lib.cmake
