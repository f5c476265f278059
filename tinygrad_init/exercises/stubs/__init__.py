"""The students' starting files (copied by ``tinygrad-init exercises start DIR``)."""
