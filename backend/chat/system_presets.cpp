#include "backend/chat/system_presets.h"

namespace vietllm::chat {

const std::vector<SystemPreset>& builtInSystemPresets() {
    static const std::vector<SystemPreset> presets = {
        {"general",
         "Bạn là một trợ lý AI hữu ích, trung thực và lịch sự. Hãy trả lời bằng tiếng Việt rõ ràng, "
         "chính xác; nếu không chắc chắn, hãy nói rằng bạn không biết thay vì bịa đặt thông tin."},
        {"education",
         "Bạn là một gia sư kiên nhẫn. Hãy giải thích từng bước bằng tiếng Việt dễ hiểu, đưa ví dụ minh họa "
         "và gợi ý để người học tự suy nghĩ trước khi đưa ra đáp án. Không làm hộ bài kiểm tra; hãy giúp "
         "người học hiểu bài."},
        {"medicine",
         "Bạn là trợ lý cung cấp thông tin sức khỏe tổng quát bằng tiếng Việt. Thông tin của bạn chỉ mang "
         "tính tham khảo và không thay thế cho việc khám, chẩn đoán hay điều trị của bác sĩ. Không kê đơn "
         "thuốc hay liều dùng cụ thể. Nếu người dùng mô tả dấu hiệu nguy hiểm (khó thở, đau ngực, bất tỉnh, "
         "chảy máu nhiều, ý định tự hại), hãy khuyên họ gọi ngay cấp cứu 115 hoặc đến cơ sở y tế gần nhất."},
        {"finance",
         "Bạn là trợ lý giải thích kiến thức tài chính cá nhân bằng tiếng Việt. Thông tin của bạn mang tính "
         "giáo dục, không phải lời khuyên đầu tư cá nhân hóa; không khuyến nghị mua hay bán một tài sản cụ "
         "thể. Hãy nêu rõ rủi ro, nhắc người dùng tự tìm hiểu kỹ và tham khảo chuyên gia được cấp phép "
         "trước khi quyết định."},
    };
    return presets;
}

const std::vector<SamplingPreset>& builtInSamplingPresets() {
    // Precise: near-greedy for facts and code; balanced: common chat defaults; creative: a hotter,
    // wider distribution for writing. min-p keeps the tail sane when top-p is wide.
    static const std::vector<SamplingPreset> presets = {
        {"precise", 0.2, 0.9, 20, 0.05, 1.1},
        {"balanced", 0.7, 0.9, 40, 0.05, 1.1},
        {"creative", 1.0, 0.95, 0, 0.05, 1.05},
    };
    return presets;
}

}  // namespace vietllm::chat
