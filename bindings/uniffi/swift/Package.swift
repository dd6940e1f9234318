// swift-tools-version:5.9
// The Swift package of booking-core's mobile binding, for iOS apps. What it builds from is made by
// the iOS recipe in ../README.md and not committed: Sources/BookingCore/ (the generated
// BookingCore.swift and BookingModel.swift) and BookingCoreFFI.xcframework (the Rust static
// library of each iOS slice, with the C headers of the modules BookingCoreFFI and BookingModelFFI
// in one module.modulemap). scripts/test-uniffi checks the names here against what uniffi-bindgen
// generates; no Swift toolchain builds this package in CI.
import PackageDescription

let package = Package(
    name: "BookingCore",
    platforms: [.iOS(.v13)],
    products: [
        .library(name: "BookingCore", targets: ["BookingCore"]),
    ],
    targets: [
        .binaryTarget(name: "BookingCoreFFI", path: "BookingCoreFFI.xcframework"),
        // Both generated files in one Swift module: BookingCore.swift uses BookingModel.swift's types.
        .target(
            name: "BookingCore",
            dependencies: ["BookingCoreFFI"],
            path: "Sources/BookingCore",
            sources: ["BookingCore.swift", "BookingModel.swift"]
        ),
    ]
)
