// What the device backend is given: the model's weights widened to row-major f32 (the device
// stores its own copy), and the LoRA slots that point into the host's LoRA buffers.
#pragma once
#include <vector>

#include "device_model.h"
#include "model.h"

namespace engine {

// The init of device::Model for m. Weight matrices kept in panel layout or half precision are
// widened into `keep` (the init's pointers point into it and into m, so both must outlive the
// create call); norms, biases, positions and RoPE tables point into m.
device::ModelInit makeDeviceInit(const Model& m, std::vector<std::vector<float>>& keep);

// One slot per adapted linear, in loraParams() order, pointing into the host factors, gradients
// and (when the optimizer state has them) moments. Pointers stay valid until those vectors are
// replaced (addLora, setOptimizerState): rebuild the slots for every transfer.
std::vector<device::LoraSlot> makeLoraSlots(Model& m);

}  // namespace engine
