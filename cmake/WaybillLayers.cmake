# The build keeps the layers apart (docs/building.md, "Layers"): each layer is one library whose
# public include root is a generated folder holding a single symbolic link to the layer's
# folder. Code that links a layer finds "store/database.h"; code that does not cannot even find
# the file, so a wrong include fails to compile instead of waiting for a review.

# waybill_layer_include_root(<target> <folder>)
# Gives <target> (and what links it) the include root <build>/include-roots/<name>, holding
# only the link <name> -> <folder>, where <name> is the folder's own name.
function(waybill_layer_include_root target folder)
  get_filename_component(name "${folder}" NAME)
  set(root "${CMAKE_BINARY_DIR}/include-roots/${name}")
  file(MAKE_DIRECTORY "${root}")
  file(CREATE_LINK "${folder}" "${root}/${name}" SYMBOLIC)
  target_include_directories(${target} PUBLIC "$<BUILD_INTERFACE:${root}>")
endfunction()

# waybill_include_file(<target> <path>)
# Lets <target> (privately) include the one header <path> of the current source folder, by that
# path, without opening the rest of its folder to it.
function(waybill_include_file target path)
  set(root "${CMAKE_CURRENT_BINARY_DIR}/include-files/${target}")
  get_filename_component(folder "${root}/${path}" DIRECTORY)
  file(MAKE_DIRECTORY "${folder}")
  file(CREATE_LINK "${CMAKE_CURRENT_SOURCE_DIR}/${path}" "${root}/${path}" SYMBOLIC)
  target_include_directories(${target} PRIVATE "${root}")
endfunction()
